// What is kept of a sync run once it is over (the user's last run, a scheduled job's return value):
// counts, calls, errors and the first few warnings, conflicts and failures per link — never the
// plan, and never an unbounded list, so the bytes kept per user stay fixed whatever the calendar.

const keptPerList = 20;

type Json = Record<string, unknown>;

function firstOf(value: unknown): { list: unknown[]; more: number } | undefined {
  if (!Array.isArray(value)) return undefined;
  return { list: value.slice(0, keptPerList), more: Math.max(0, value.length - keptPerList) };
}

function boundedLink(link: Json): Json {
  const out: Json = {};
  for (const key of ['linkId', 'counts', 'skipped', 'calls', 'error', 'backoff', 'guests', 'mirror']) {
    if (link[key] !== undefined) out[key] = link[key];
  }
  for (const key of ['warnings', 'conflicts', 'quarantined', 'failed']) {
    const kept = firstOf(link[key]);
    if (!kept) continue;
    out[key] = kept.list;
    if (kept.more > 0) out[`${key}More`] = kept.more;
  }
  return out;
}

/** The bounded record of an engine result (tolerates any shape; never throws). */
export function boundedRunResult(result: unknown): unknown {
  if (!result || typeof result !== 'object') return result;
  const r = result as Json;
  const links = Array.isArray(r['links'])
    ? (r['links'] as unknown[]).filter((l): l is Json => Boolean(l) && typeof l === 'object').map(boundedLink)
    : undefined;
  const out: Json = {};
  for (const key of ['userId', 'calls', 'durationMs']) if (r[key] !== undefined) out[key] = r[key];
  if (links) out['links'] = links;
  return out;
}
