import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

// One row per scenario (or hostile input): its pass criteria, each checked and printed with the
// measured value, and the figures behind them. Printed as a table and written as JSON.

export interface Check {
  /** The criterion as printed, e.g. "duplicates = 0". */
  criterion: string;
  pass: boolean;
  /** The measured value. */
  measured: string;
}

export type Figures = Record<string, number | string | boolean>;

export interface Row {
  id: string;
  title: string;
  checks: Check[];
  figures: Figures;
  seconds: number;
  /** The scenario could not finish (the message says why); the row fails. */
  error?: string;
  /** Informational rows (the hostile baseline) are printed but have no verdict. */
  informational?: boolean;
}

export const check = (criterion: string, pass: boolean, measured: string | number): Check => ({
  criterion,
  pass,
  measured: String(measured),
});

export function passed(row: Row): boolean {
  return row.error === undefined && row.checks.every((c) => c.pass);
}

const round = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(n < 10 ? 2 : 1));

function verdict(row: Row): string {
  if (row.informational) return row.error ? 'ERROR' : 'info';
  return passed(row) ? 'PASS' : 'FAIL';
}

/** The table as printed: a line per row, then its checks (✓/✗, measured) and figures. */
export function formatTable(rows: readonly Row[]): string {
  const lines: string[] = [];
  const width = Math.max(...rows.map((r) => r.id.length + r.title.length + 3), 20);
  for (const row of rows) {
    lines.push(
      `${verdict(row).padEnd(5)} ${`${row.id}  ${row.title}`.padEnd(width)} ${round(row.seconds)} s`,
    );
    for (const c of row.checks) lines.push(`        ${c.pass ? '✓' : '✗'} ${c.criterion}: ${c.measured}`);
    if (row.error) lines.push(`        ✗ did not finish: ${row.error}`);
    const figures = Object.entries(row.figures).map(
      ([k, v]) => `${k}=${typeof v === 'number' ? round(v) : v}`,
    );
    if (figures.length > 0) lines.push(`        ${figures.join('  ')}`);
  }
  return lines.join('\n');
}

export interface ChaosReport {
  mode: 'quick' | 'full';
  seed: number;
  startedAt: string;
  seconds: number;
  commit: string;
  machine: { cpus: number; node: string };
  settings: Figures;
  rows: Row[];
  passed: boolean;
}

export function writeReport(path: string, report: ChaosReport): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(report, null, 2)}\n`);
}
