// The second half of splitting a feed (ics-split.ts): closed components grouped by UID into items.
// Each master is kept as the item it would be on its own, overrides as their text, so the split
// holds about one string per item; past limits.maxItemsPerSource only UIDs are counted, and each
// series keeps its limits.maxOverridesPerSeries overrides nearest a given instant.
import { createHash } from 'node:crypto';
import { type IcsComponent, prop } from '../ics/component-tree.js';
import { foldLine, propertyName, propertyParam, tzidKey } from '../ics/content-lines.js';
import { supersedes } from '../ics/revision.js';
import { formatCount, type TranslateLimits } from '../translate/limits.js';
import type { SplitProblem } from './ics-split.js';
import { NearestKept } from './nearest-kept.js';
import type { SourceItem } from './storage.js';

export type SplitLimits = Pick<
  TranslateLimits,
  'maxItemsPerSource' | 'maxTimezonesPerSource' | 'maxOverridesPerSeries'
>;

interface Group {
  kind: SourceItem['kind'];
  master?: ClosedComponent;
  /** Made on the first override (most items have none). */
  overrides?: NearestKept<ClosedComponent>;
}

/**
 * A closed VEVENT or VTODO and what grouping needs. It is kept as the whole item it would be on
 * its own (`built`), its text a slice of that: most components are an item of their own, so the
 * split holds one string per item rather than a component's text and then the item's.
 */
interface ClosedComponent {
  type: string;
  startLine: number;
  recurrenceId: string | undefined;
  sequence: number;
  /** DTSTAMP as written (UTC, yyyyMMddTHHmmssZ: compares as text), '' without one. */
  stamp: string;
  cancelled: boolean;
  /** TZIDs its lines (and its alarms') reference. */
  tzids: string[];
  built: string;
  textStart: number;
  textEnd: number;
  /** The calendar header `built` has, and how many of `tzids` had a VTIMEZONE then. */
  opening: string;
  resolved: number;
}

const textOf = (c: ClosedComponent): string => c.built.slice(c.textStart, c.textEnd);
const closing = '\r\nEND:VCALENDAR\r\n';

function itemText(opening: string, parts: string[]): string {
  return `${[opening, ...parts].join('\r\n')}${closing}`;
}

/** BEGIN:VCALENDAR and the calendar properties an item keeps, folded. */
function openingOf(calendarProps: Map<string, string>): string {
  const header = [
    calendarProps.get('VERSION') ?? 'VERSION:2.0',
    calendarProps.get('PRODID') ?? `PRODID:${defaultProdId}`,
  ];
  for (const name of keptCalendarProps.slice(2)) {
    const line = calendarProps.get(name);
    if (line) header.push(line);
  }
  return ['BEGIN:VCALENDAR', ...header].map((l) => foldLine(l)).join('\r\n');
}

export const keptCalendarProps = ['VERSION', 'PRODID', 'CALSCALE', 'X-WR-TIMEZONE'] as const;
/** Properties that change without the item changing (vdirsyncer's list, minus what we key on). */
export const volatileProps = new Set([
  'DTSTAMP',
  'LAST-MODIFIED',
  'CREATED',
  'PRODID',
  'METHOD',
  'X-WR-CALNAME',
]);
const defaultProdId = '-//talkcal-sync//ics-split//EN';

/** Collects problems up to a cap: a hostile file of garbage lines must not cost memory per line. */
export class ProblemLog {
  static readonly cap = 1000;
  readonly list: SplitProblem[] = [];
  private dropped = 0;

  push(problem: SplitProblem): void {
    if (this.list.length < ProblemLog.cap) this.list.push(problem);
    else this.dropped++;
  }

  /** The problems in line order, with a last entry counting those not kept. */
  sorted(): SplitProblem[] {
    const out = [...this.list].sort((a, b) => a.line - b.line);
    if (this.dropped > 0) {
      out.push({ line: out[out.length - 1]?.line ?? 1, message: `${this.dropped} more problems not listed` });
    }
    return out;
  }
}

function serialize(c: IcsComponent, out: string[]): void {
  out.push(`BEGIN:${c.name}`);
  for (const l of c.lines()) out.push(l);
  for (const child of c.children) serialize(child, out);
  out.push(`END:${c.name}`);
}

function foldedText(c: IcsComponent): string {
  const out: string[] = [];
  serialize(c, out);
  return out.map((l) => foldLine(l)).join('\r\n');
}

function firstProp(c: IcsComponent, name: string): string | undefined {
  return prop(c, name)?.value.trim();
}

function collectTzids(c: IcsComponent, into: string[]): void {
  for (const l of c.lines()) {
    if (!/;tzid=/i.test(l)) continue;
    const param = propertyParam(l, 'TZID');
    const tz = param === undefined ? '' : tzidKey(param);
    if (tz && !into.includes(tz)) into.push(tz);
  }
  for (const child of c.children) collectTzids(child, into);
}

/** The content hash UID given to a component without one (volatile properties excluded). */
function contentUid(c: IcsComponent): string {
  const out: string[] = [];
  serialize(c, out);
  const stable = out.filter((l) => !volatileProps.has(propertyName(l) ?? ''));
  return `talkcal-${createHash('sha256').update(stable.join('\n')).digest('hex').slice(0, 32)}`;
}

function sequenceOf(c: IcsComponent): number {
  const n = Number.parseInt(firstProp(c, 'SEQUENCE') ?? '0', 10);
  return Number.isFinite(n) ? n : 0;
}

const noTzids: string[] = [];

/** The later revision of two components for one instance; `b` (read later) on a full tie. */
function laterRevision(a: ClosedComponent, b: ClosedComponent): ClosedComponent {
  return supersedes(b, a) ? b : a;
}

function revisionReason(drop: ClosedComponent, keep: ClosedComponent): string {
  if (drop.sequence !== keep.sequence) return `SEQUENCE ${keep.sequence}`;
  if (drop.stamp !== keep.stamp) return `same SEQUENCE, later DTSTAMP`;
  return 'same SEQUENCE and DTSTAMP, later in the file';
}

/** A RECURRENCE-ID's date and time read as if UTC: zones aside, close enough to rank by. */
function wallMs(value: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2}))?/.exec(value);
  if (!m) return Number.POSITIVE_INFINITY;
  const [year, month, day, hour, minute, second] = m.slice(1).map((v) => Number(v ?? 0));
  return Date.UTC(year ?? 0, (month ?? 1) - 1, day, hour, minute, second);
}

/**
 * Groups closed components by UID, up to the item limit; past it, only counts UIDs. Given an
 * instant `near`, each series keeps the limits.maxOverridesPerSeries overrides whose
 * RECURRENCE-ID is nearest it, so a series of 100,000 overrides costs no more than its limit.
 */
export class Grouper {
  readonly groups = new Map<string, Group>();
  readonly timezones = new Map<string, string>();
  /** UIDs past limits.maxItemsPerSource (counted, not kept). */
  readonly beyond = new Set<string>();
  private timezonesDropped = 0;
  private firstDroppedLine = 0;

  private opening = { props: -1, text: '' };

  constructor(
    private readonly limits: SplitLimits,
    private readonly problems: ProblemLog,
    private readonly near: number | undefined,
    private readonly calendarProps: Map<string, string>,
  ) {}

  /** The calendar header as read so far (its properties are only ever added). */
  currentOpening(): string {
    if (this.opening.props !== this.calendarProps.size)
      this.opening = { props: this.calendarProps.size, text: openingOf(this.calendarProps) };
    return this.opening.text;
  }

  /** The item a group becomes: its one component as built when it closed, if nothing changed since. */
  itemOf(comps: ClosedComponent[]): string {
    const opening = this.currentOpening();
    const only = comps.length === 1 ? comps[0] : undefined;
    const resolved = (c: ClosedComponent) => c.tzids.filter((id) => this.timezones.has(id)).length;
    if (only && only.opening === opening && only.resolved === resolved(only)) return only.built;
    const tzids = new Set<string>();
    for (const c of comps) for (const tz of c.tzids) tzids.add(tz);
    const blocks = [...tzids].flatMap((id) => this.timezones.get(id) ?? []);
    return itemText(opening, [...blocks, ...comps.map(textOf)]);
  }

  private closed(c: IcsComponent, recurrenceId: string | undefined): ClosedComponent {
    const found: string[] = [];
    collectTzids(c, found);
    const tzids = found.length > 0 ? found : noTzids;
    const blocks = tzids.flatMap((id) => this.timezones.get(id) ?? []);
    const text = foldedText(c);
    // An override is never an item on its own: kept as its text only.
    const opening = recurrenceId === undefined ? this.currentOpening() : '';
    const built = recurrenceId === undefined ? itemText(opening, [...blocks, text]) : text;
    const textEnd = recurrenceId === undefined ? built.length - closing.length : text.length;
    return {
      type: c.name,
      startLine: c.line,
      recurrenceId,
      sequence: sequenceOf(c),
      stamp: firstProp(c, 'DTSTAMP') ?? '',
      cancelled: firstProp(c, 'STATUS')?.toUpperCase() === 'CANCELLED',
      tzids,
      built,
      textStart: textEnd - text.length,
      textEnd,
      opening,
      resolved: blocks.length,
    };
  }

  add(c: IcsComponent): void {
    if (c.name === 'VTIMEZONE') this.addTimezone(c);
    else if (c.name === 'VEVENT' || c.name === 'VTODO') this.addItemPart(c);
  }

  private addTimezone(c: IcsComponent): void {
    const tzid = tzidKey(firstProp(c, 'TZID') ?? '');
    if (!tzid || this.timezones.has(tzid)) return;
    if (this.timezones.size < this.limits.maxTimezonesPerSource) {
      this.timezones.set(tzid, foldedText(c));
    } else if (this.timezonesDropped++ === 0) {
      this.firstDroppedLine = c.line;
    }
  }

  private addItemPart(c: IcsComponent): void {
    const kind = c.name === 'VEVENT' ? 'event' : 'todo';
    let uid = firstProp(c, 'UID');
    if (!this.groups.has(uid ?? '') && this.groups.size >= this.limits.maxItemsPerSource) {
      this.beyond.add(uid ?? `line ${c.line}`);
      return;
    }
    if (!uid) {
      uid = contentUid(c);
      c.setLines([`UID:${uid}`, ...c.lines()]);
    }
    let group = this.groups.get(uid);
    if (group && group.kind !== kind) {
      this.problems.push({
        line: c.line,
        message: `${c.name} skipped: UID ${uid} is already used by another kind`,
      });
      return;
    }
    if (!group) {
      group = { kind };
      this.groups.set(uid, group);
    }
    const recurrenceId = firstProp(c, 'RECURRENCE-ID');
    if (recurrenceId === undefined) {
      const master = this.closed(c, undefined);
      group.master = group.master ? this.supersede(group.master, master) : master;
      return;
    }
    const max = this.near === undefined ? Number.POSITIVE_INFINITY : this.limits.maxOverridesPerSeries;
    group.overrides ??= new NearestKept(max, (kept, other) => this.supersede(kept, other));
    const distance = this.near === undefined ? 0 : Math.abs(wallMs(recurrenceId) - this.near);
    group.overrides.offer(recurrenceId, distance, () => this.closed(c, recurrenceId));
  }

  /**
   * Of two components for one instance (iTIP messages collected in one file, or a feed that
   * repeats an item) the later revision wins (../ics/revision.ts). A cancellation that wins removes the event or the
   * instance (STATUS:CANCELLED is applied by translation).
   */
  private supersede(seen: ClosedComponent, c: ClosedComponent): ClosedComponent {
    const keep = laterRevision(seen, c);
    const drop = keep === c ? seen : c;
    const same = drop.recurrenceId !== undefined ? 'same UID and RECURRENCE-ID' : 'same UID';
    this.problems.push({
      line: drop.startLine,
      code: 'itip-superseded',
      message: `${drop.type} at line ${drop.startLine} (SEQUENCE ${drop.sequence}) superseded by the one at line ${keep.startLine} (${same}, ${revisionReason(drop, keep)})${keep.cancelled ? ', which cancels it' : ''}`,
    });
    return keep;
  }

  reportDroppedTimezones(): void {
    if (this.timezonesDropped === 0) return;
    this.problems.push({
      line: this.firstDroppedLine,
      message: `${formatCount(this.timezonesDropped)} VTIMEZONEs past the first ${formatCount(this.limits.maxTimezonesPerSource)} ignored (limits.maxTimezonesPerSource)`,
    });
  }

  /** The items, in the order their UIDs first appeared; master first, then overrides in file order. */
  items(): SourceItem[] {
    const items: SourceItem[] = [];
    for (const [uid, group] of this.groups) {
      const overrides = group.overrides?.values().sort((a, b) => a.startLine - b.startLine) ?? [];
      const comps = group.master ? [group.master, ...overrides] : overrides;
      const item: SourceItem = { uid, kind: group.kind, ics: this.itemOf(comps) };
      if (group.overrides?.dropped) item.ignoredOverrides = group.overrides.dropped;
      items.push(item);
    }
    return items;
  }
}
