import { countsOf, type RunCounts } from '../queue/sync-runner.js';
import { describeAction } from '../sync/events/format-plan.js';
import { plannedCounts, writes } from '../sync/events/plan-counts.js';
import type { LinkSummary, UserSyncResult } from '../sync/sync-user.js';

// What `talkcal sync --wait` and `--dry-run` print for people: the counts, the first changes, and
// every kind of trouble (link errors, warnings, conflicts, quarantined and failed items), each list
// cut to its first few lines. The whole result is the --json output.

/** Lines of changes shown; the rest are counted ("… 12 more"). */
const changesShown = 10;
/** Lines of each other list (warnings, conflicts, …) shown. */
const othersShown = 5;

export interface SummaryOptions {
  userId: string;
  dryRun: boolean;
}

function countsLine(label: string, c: RunCounts['kakao'], dryRun: boolean, withCreated = true): string {
  const parts = [
    ...(withCreated ? [`${c.created} ${dryRun ? 'to create' : 'created'}`] : []),
    `${c.updated} ${dryRun ? 'to update' : 'updated'}`,
    `${c.deleted} ${dryRun ? 'to delete' : 'deleted'}`,
  ];
  return `${label}${parts.join(', ')}`;
}

function sum(counts: RunCounts[]): RunCounts {
  const total: RunCounts = {
    kakao: { created: 0, updated: 0, deleted: 0 },
    source: { created: 0, updated: 0, deleted: 0 },
  };
  for (const c of counts)
    for (const side of ['kakao', 'source'] as const)
      for (const kind of ['created', 'updated', 'deleted'] as const) total[side][kind] += c[side][kind];
  return total;
}

/** `title` and its first `shown` lines, then how many more there are. */
function section(title: string, lines: string[], shown: number): string[] {
  if (lines.length === 0) return [];
  const more = lines.length - shown;
  return [
    `${title} (${lines.length}):`,
    ...lines.slice(0, shown).map((l) => `  ${l}`),
    ...(more > 0 ? [`  … ${more} more (--json shows all)`] : []),
  ];
}

function linkState(link: LinkSummary): string | undefined {
  if (link.error) return `link ${link.linkId}: failed — ${link.error}`;
  if (link.skipped === 'mass-deletion')
    return `link ${link.linkId}: stopped by the mass-deletion guard (sync --force passes it)`;
  if (link.skipped === 'backoff')
    return `link ${link.linkId}: waiting after failures${link.backoff ? ` until ${link.backoff.retryAt}` : ''}`;
  if (link.skipped === 'unchanged') return `link ${link.linkId}: unchanged`;
  return undefined;
}

export function syncSummary(outcome: unknown, opts: SummaryOptions): string {
  const o = (outcome ?? {}) as { skipped?: string; result?: Partial<UserSyncResult> };
  if (o.skipped) return `sync of ${opts.userId} skipped: ${o.skipped}`;
  const links = (o.result?.links ?? []) as LinkSummary[];
  const counts = opts.dryRun
    ? sum(links.map((l) => (l.plan ? plannedCounts(l.plan) : countsOf({}))))
    : countsOf(o.result);
  const seconds =
    typeof o.result?.durationMs === 'number' ? ` in ${(o.result.durationMs / 1000).toFixed(1)} s` : '';
  const changes = links.flatMap((l) =>
    (l.plan?.items ?? []).flatMap((item) =>
      item.actions.filter(writes).map((a) => `${l.linkId}  ${item.sourceKey}: ${describeAction(a)}`),
    ),
  );
  const sourceWrites = counts.source.updated + counts.source.deleted > 0;
  return [
    opts.dryRun
      ? `dry run of user ${opts.userId}: nothing was written`
      : `sync of user ${opts.userId} done${seconds}`,
    countsLine('Talk Calendar: ', counts.kakao, opts.dryRun),
    ...(sourceWrites ? [countsLine('sources:       ', counts.source, opts.dryRun, false)] : []),
    ...links.map(linkState).filter((l): l is string => l !== undefined),
    ...section(opts.dryRun ? 'changes planned' : 'changes', changes, changesShown),
    ...section(
      'warnings',
      links.flatMap((l) => l.warnings.map((w) => `${l.linkId}: ${w}`)),
      othersShown,
    ),
    ...section(
      'conflicts (talkcal conflicts list)',
      links.flatMap((l) => l.conflicts.map((c) => `${l.linkId}  ${c.sourceKey}: ${c.detail}`)),
      othersShown,
    ),
    ...section(
      'quarantined (Kakao refused them; retried when they change)',
      links.flatMap((l) => l.quarantined.map((q) => `${l.linkId}  ${q.sourceKey}: ${q.reason}`)),
      othersShown,
    ),
    ...section(
      'failed items',
      links.flatMap((l) => l.failed.map((f) => `${l.linkId}  ${f.sourceKey}: ${f.error}`)),
      othersShown,
    ),
  ].join('\n');
}
