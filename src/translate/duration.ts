// RFC 5545 §3.3.6 DURATION values ("P1W", "-PT15M", "P1DT2H30M").

export interface Duration {
  /** -1 or 1. */
  sign: number;
  /** Nominal part: weeks and days (a day follows wall time across DST). */
  days: number;
  /** Exact part in seconds (hours, minutes, seconds). */
  seconds: number;
}

export function parseDuration(text: string): Duration | undefined {
  const m = /^([+-])?P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/.exec(
    text.trim().toUpperCase(),
  );
  if (!m || text.trim().toUpperCase().replace(/^[+-]/, '') === 'P' || /T$/.test(text.trim()))
    return undefined;
  return {
    sign: m[1] === '-' ? -1 : 1,
    days: Number(m[2] ?? 0) * 7 + Number(m[3] ?? 0),
    seconds: Number(m[4] ?? 0) * 3600 + Number(m[5] ?? 0) * 60 + Number(m[6] ?? 0),
  };
}

/** Total signed seconds, counting a day as 86400 s (for alarm triggers, where that is the rule). */
export function durationSeconds(d: Duration): number {
  return d.sign * (d.days * 86_400 + d.seconds);
}

/** "-PT15M", "PT9H", "-P1D": the shortest form of a signed number of seconds. */
export function formatDuration(totalSeconds: number): string {
  const sign = totalSeconds < 0 ? '-' : '';
  let rest = Math.abs(totalSeconds);
  if (rest === 0) return 'PT0S';
  if (rest % 604_800 === 0) return `${sign}P${rest / 604_800}W`;
  const days = Math.floor(rest / 86_400);
  rest -= days * 86_400;
  const h = Math.floor(rest / 3600);
  const m = Math.floor((rest % 3600) / 60);
  const s = rest % 60;
  let out = `${sign}P${days > 0 ? `${days}D` : ''}`;
  if (h || m || s) out += `T${h ? `${h}H` : ''}${m ? `${m}M` : ''}${s ? `${s}S` : ''}`;
  return out;
}
