// TZID → the zone used to read wall times and the IANA name Kakao gets as `time_zone`.
// Order: IANA name (also inside a path like /mozilla.org/…/Europe/Berlin) → Windows zone name
// (windows-iana) → Outlook display name "(UTC-05:00) Eastern Time (US & Canada)" → the item's own
// VTIMEZONE block (matched to an IANA zone by offsets, else used as is) → the display name's UTC
// offset → ctx.userTimeZone. Everything past the Windows mapping adds a warning. Every cache here
// is keyed by feed content and bounded (BoundedMap): a hostile feed cannot grow them.
import { createHash } from 'node:crypto';
import { IANAZone } from 'luxon';
import { findIana, WINDOWS_TO_IANA_MAP } from 'windows-iana';
import { tzidKey } from '../ics/content-lines.js';
import type { TranslateWarning } from '../model/desired.js';
import { BoundedMap } from './bounded-map.js';
import { defaultLimits } from './limits.js';
import type { ParsedComponent } from './parse.js';
import { prop } from './parse.js';
import { matchIanaZone, VTimezoneRules } from './vtimezone.js';

export interface ZoneRules {
  /** IANA name sent as `time_zone`. */
  ianaName: string;
  /** Minutes east of UTC in force at an instant. */
  offsetAt(utcMs: number): number;
  /** `ianaName` only approximates these rules (a custom VTIMEZONE no IANA zone matches). */
  approximate?: boolean;
}

export interface ResolvedZone {
  rules: ZoneRules;
  warning?: TranslateWarning;
}

const ianaCache = new BoundedMap<string, ZoneRules>(64);
const vtimezoneCache = new BoundedMap<string, VTimezoneRules>(128);
const vtimezoneOfBlock = new WeakMap<ParsedComponent, VTimezoneRules>();
// Offsets remembered per zone (15-minute buckets): 4096 buckets are six weeks of occurrences.
const maxBuckets = 4096;

/** One VTimezoneRules per distinct block content (feeds repeat the same blocks for every item). */
function vtimezoneRules(name: string, block: ParsedComponent, maxIterations: number): VTimezoneRules {
  let rules = vtimezoneOfBlock.get(block);
  if (rules) return rules;
  const key = `${maxIterations}|${blockDigest(block)}`;
  rules = vtimezoneCache.get(key);
  if (!rules) {
    rules = new VTimezoneRules(name, block, maxIterations);
    vtimezoneCache.set(key, rules);
  }
  vtimezoneOfBlock.set(block, rules);
  return rules;
}

/** A digest of a component's content (its text may be long: the key stays short). */
function blockDigest(block: ParsedComponent): string {
  const hash = createHash('sha256');
  const feed = (c: ParsedComponent): void => {
    hash.update(`BEGIN:${c.name}\n`);
    for (const p of c.props) hash.update(`${p.name}${JSON.stringify(p.params)}:${p.value}\n`);
    for (const child of c.children) feed(child);
    hash.update(`END:${c.name}\n`);
  };
  feed(block);
  return hash.digest('base64');
}

export function ianaRules(name: string): ZoneRules {
  let rules = ianaCache.get(name);
  if (!rules) {
    const zone = IANAZone.create(name);
    // luxon formats a date for every offset lookup; since 1970 every zone changes offset only on
    // quarter hours (UTC), so one lookup per 15-minute bucket is exact.
    const byBucket = new Map<number, number>();
    const offsetAt = (ms: number): number => {
      if (ms < 0) return zone.offset(ms);
      const bucket = Math.floor(ms / 900_000);
      let offset = byBucket.get(bucket);
      if (offset === undefined) {
        offset = zone.offset(ms);
        if (byBucket.size >= maxBuckets) byBucket.clear();
        byBucket.set(bucket, offset);
      }
      return offset;
    };
    rules = { ianaName: zone.name, offsetAt };
    ianaCache.set(name, rules);
  }
  return rules;
}

const validity = new BoundedMap<string, boolean>(1024, 256);

/** luxon's check builds an Intl formatter on every call: remembered per name. */
export function isIanaZone(name: string): boolean {
  let valid = validity.get(name);
  if (valid === undefined) {
    valid = IANAZone.isValidZone(name);
    validity.set(name, valid);
  }
  return valid;
}

/** "Etc/GMT-9" is UTC+9 (POSIX sign); only whole hours exist. */
function fixedOffsetZoneName(minutes: number): string | undefined {
  if (minutes === 0) return 'UTC';
  if (minutes % 60 !== 0 || Math.abs(minutes) > 14 * 60) return undefined;
  const hours = minutes / 60;
  return `Etc/GMT${hours > 0 ? '-' : '+'}${Math.abs(hours)}`;
}

const windowsCache = new BoundedMap<string, string | null>(1024, 256);

function windowsToIana(name: string): string | undefined {
  const cached = windowsCache.get(name);
  if (cached !== undefined) return cached ?? undefined;
  let found: string | undefined;
  try {
    found = findIana(name)?.[0];
  } catch {
    found = undefined;
  }
  windowsCache.set(name, found ?? null);
  return found;
}

const windowsNames = (WINDOWS_TO_IANA_MAP as unknown as { windowsName: string }[]).map((e) => e.windowsName);
let ianaNames: string[] | undefined;

/** "(UTC-05:00) Eastern Time (US & Canada)" → offset and candidate zones. */
function fromDisplayName(tzid: string): { offset?: number; zones: string[] } {
  const m = /^\(?(?:UTC|GMT)\s*(?:([+-])(\d{1,2}):?(\d{2}))?\)?\s*(.*)$/i.exec(tzid.trim());
  if (!m) return { zones: [] };
  const offset = m[1] ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
  const label = (m[4] ?? '').replace(/\band\b/g, '&').trim();
  const zones: string[] = [];
  // "Eastern Time (US & Canada)" → "Eastern Standard Time"
  const base = label.replace(/\s*\(.*\)\s*$/, '').replace(/\s+Time$/, '');
  for (const guess of [label, `${base} Standard Time`, `${base} Time`]) {
    const w = windowsNames.find((n) => n.toLowerCase() === guess.toLowerCase());
    const iana = w && windowsToIana(w);
    if (iana) zones.push(iana);
  }
  // "Amsterdam, Berlin, Bern, Rome" or "Seoul": a city that names an IANA zone.
  for (const city of label.split(/[,/]/)) {
    const c = city.trim().replace(/\s+/g, '_');
    if (!c) continue;
    ianaNames ??= Intl.supportedValuesOf('timeZone');
    const z = ianaNames.find((n) => n.toLowerCase().endsWith(`/${c.toLowerCase()}`));
    if (z) zones.push(z);
  }
  return { offset, zones };
}

function warn(message: string): TranslateWarning {
  return { code: 'unknown-timezone', message };
}

/**
 * Resolves a TZID. `nearMs` is an instant near the event (to compare a custom block's offsets in
 * the right year); `timezones` are the item's VTIMEZONE blocks.
 */
export function resolveZone(
  tzid: string | undefined,
  timezones: ParsedComponent[],
  fallbackZone: string,
  nearMs: number,
  maxRuleIterations: number = defaultLimits.maxRuleIterations,
): ResolvedZone {
  if (!tzid) return { rules: ianaRules(fallbackZone) };
  const name = tzidKey(tzid);
  if (isIanaZone(name)) return { rules: ianaRules(name) };
  const tail = name.split('/').filter(Boolean);
  for (let i = 0; i < tail.length - 1; i++) {
    const candidate = tail.slice(i).join('/');
    if (isIanaZone(candidate) && candidate.includes('/')) return { rules: ianaRules(candidate) };
  }
  const windows = windowsToIana(name);
  if (windows && isIanaZone(windows)) return { rules: ianaRules(windows) };

  const display = fromDisplayName(name);
  const block = timezones.find((t) => tzidKey(prop(t, 'TZID')?.value ?? '') === name);
  if (block) {
    const rules = vtimezoneRules(name, block, maxRuleIterations);
    if (rules.usable) {
      const preferred = [...display.zones, ...(windows ? [windows] : [])];
      const matched = matchIanaZone(rules, nearMs, preferred);
      if (rules.costly) {
        return {
          rules: ianaRules(matched ?? fallbackZone),
          warning: warn(
            `VTIMEZONE "${name}": its rules would cost more than limits.maxRuleIterations; read in ${matched ?? fallbackZone}`,
          ),
        };
      }
      if (matched) return { rules: ianaRules(matched) };
      const label = fixedOffsetZoneName(rules.offsetAt(nearMs)) ?? display.zones[0] ?? fallbackZone;
      return {
        rules: { ianaName: label, offsetAt: (ms) => rules.offsetAt(ms), approximate: true },
        warning: warn(`VTIMEZONE "${name}" matches no IANA zone; its own rules are used, labelled ${label}`),
      };
    }
  }
  const displayZone = display.zones.find(
    // The display name gives the standard offset; daylight time may add up to an hour.
    (z) => {
      if (display.offset === undefined) return true;
      const diff = ianaRules(z).offsetAt(nearMs) - display.offset;
      return diff >= 0 && diff <= 60;
    },
  );
  if (displayZone) return { rules: ianaRules(displayZone) };
  if (display.offset !== undefined) {
    const fixed = fixedOffsetZoneName(display.offset);
    const offset = display.offset;
    return {
      rules: { ianaName: fixed ?? fallbackZone, offsetAt: () => offset },
      warning: warn(`time zone "${name}" read as a fixed offset of ${offset} minutes`),
    };
  }
  return {
    rules: ianaRules(fallbackZone),
    warning: warn(`unknown time zone "${name}"; read in ${fallbackZone}`),
  };
}
