// Applies a Kakao-side state to the original iCalendar text of a CalDAV object, touching only the
// properties whose meaning changed: every other line (attendees, other alarms, X- properties,
// VTIMEZONEs, overrides, unknown properties, parameters, even the original folding) stays byte for
// byte. When anything changed, SEQUENCE goes up by one and DTSTAMP/LAST-MODIFIED become `now`.

import { DateTime } from 'luxon';
import {
  type ContentLine,
  parseContentLine,
  type RawLine,
  rawLineOf,
  readLines,
  tzidKey,
} from '../ics/content-lines.js';
import { TalkcalError } from '../model/errors.js';
import type { ComponentSpec, OverrideSpec } from './component-spec.js';
import { dateKeys, sameProperties, sameProperty, triggerKey } from './ics-equivalence.js';
import {
  type Component,
  findComponents,
  firstProperty,
  isComponent,
  parseTree,
  serializeTree,
  subComponents,
} from './ics-lines.js';
import { formatUtc, parseIcsDuration, readIcsTime } from './ics-values.js';

/** The object holds no master component with the UID the patch is for. */
export class PatchTargetMissingError extends TalkcalError {
  readonly scope = 'item';
  constructor(
    readonly uid: string,
    component: string,
  ) {
    super(`no ${component} master with UID ${uid} in the stored object; write-back skipped`);
  }
}

export interface PatchResult {
  ics: string;
  /** Names of the properties changed (plus 'VALARM', 'EXDATE', 'VTIMEZONE'); [] = text unchanged. */
  changed: string[];
}

/** Display/audio alarms are the ones Kakao reminders stand for; email/procedure alarms are kept. */
function isKakaoAlarm(alarm: Component): boolean {
  const action = (firstProperty(alarm, 'ACTION')?.value ?? 'DISPLAY').trim().toUpperCase();
  return (action === 'DISPLAY' || action === 'AUDIO') && firstProperty(alarm, 'TRIGGER') !== undefined;
}

function propertyIndexes(comp: Component, name: string): number[] {
  const out: number[] = [];
  comp.children.forEach((child, i) => {
    if (!isComponent(child) && parseContentLine(child.unfolded)?.name === name) out.push(i);
  });
  return out;
}

/** Where new properties go: after the last property, before the first sub-component. */
function insertionIndex(comp: Component): number {
  const firstSub = comp.children.findIndex(isComponent);
  return firstSub < 0 ? comp.children.length : firstSub;
}

function existingLines(comp: Component, name: string): ContentLine[] {
  return propertyIndexes(comp, name).map((i) => parseContentLine((comp.children[i] as RawLine).unfolded)!);
}

function replaceProperty(comp: Component, name: string, lines: ContentLine[], eol: string): void {
  const indexes = propertyIndexes(comp, name);
  const at = indexes[0] ?? insertionIndex(comp);
  for (const i of [...indexes].reverse()) comp.children.splice(i, 1);
  comp.children.splice(at, 0, ...lines.map((l) => rawLineOf(l, eol)));
}

/** DTSTART + DURATION as a DTEND/DUE-comparable line (so a DURATION-based object is left alone). */
function endFromDuration(comp: Component, name: string): ContentLine | undefined {
  const start = firstProperty(comp, 'DTSTART');
  const duration = parseIcsDuration(firstProperty(comp, 'DURATION')?.value ?? '');
  if (!start || !duration) return undefined;
  const t = readIcsTime(start, 'UTC');
  if (!t) return undefined;
  const end = t.at.plus(duration);
  if (t.dateOnly) return { name, params: { VALUE: 'DATE' }, value: end.toFormat('yyyyMMdd') };
  return { name, params: {}, value: formatUtc(end) };
}

function applyProperties(
  comp: Component,
  set: ComponentSpec['set'],
  component: ComponentSpec['component'],
  eol: string,
  changed: string[],
): void {
  for (const [name, lines] of Object.entries(set)) {
    const existing = existingLines(comp, name);
    if (sameProperties(existing, lines)) continue;
    if ((name === 'DTEND' || name === 'DUE') && existing.length === 0 && lines.length === 1) {
      const implied = endFromDuration(comp, name);
      if (implied && sameProperties([implied], lines)) continue;
    }
    if (name === 'DURATION' && lines.length === 0) {
      // Dropped only when the new end is written as DTEND/DUE instead.
      const endName = component === 'VTODO' ? 'DUE' : 'DTEND';
      const newEnd = set[endName];
      const implied = endFromDuration(comp, endName);
      if (!newEnd || (implied && sameProperties([implied], newEnd))) continue;
    }
    replaceProperty(comp, name, lines, eol);
    changed.push(name);
  }
}

function applyExdates(comp: Component, additions: ContentLine[], eol: string, changed: string[]): void {
  const have = new Set(existingLines(comp, 'EXDATE').flatMap(dateKeys));
  const fresh = additions.filter((l) => dateKeys(l).some((k) => !have.has(k)));
  if (fresh.length === 0) return;
  const indexes = propertyIndexes(comp, 'EXDATE');
  const at = (indexes.at(-1) ?? insertionIndex(comp) - 1) + 1;
  comp.children.splice(at, 0, ...fresh.map((l) => rawLineOf(l, eol)));
  changed.push('EXDATE');
}

function newAlarm(trigger: ContentLine, eol: string): Component {
  const l = (name: string, value: string): RawLine => rawLineOf({ name, params: {}, value }, eol);
  return {
    name: 'VALARM',
    begin: l('BEGIN', 'VALARM'),
    end: l('END', 'VALARM'),
    children: [l('ACTION', 'DISPLAY'), l('DESCRIPTION', 'Reminder'), rawLineOf(trigger, eol)],
  };
}

function applyAlarms(comp: Component, triggers: ContentLine[], eol: string, changed: string[]): void {
  const wanted = new Map(triggers.map((t) => [triggerKey(t), t]));
  const kept = new Set<string>();
  let touched = false;
  comp.children = comp.children.filter((child) => {
    if (!isComponent(child) || child.name !== 'VALARM' || !isKakaoAlarm(child)) return true;
    const key = triggerKey(firstProperty(child, 'TRIGGER')!);
    if (wanted.has(key) && !kept.has(key)) {
      kept.add(key);
      return true;
    }
    touched = true;
    return false;
  });
  for (const [key, trigger] of wanted) {
    if (kept.has(key)) continue;
    comp.children.push(newAlarm(trigger, eol));
    touched = true;
  }
  if (touched) changed.push('VALARM');
}

function bumpVersion(comp: Component, now: Date, eol: string): void {
  const stamp = formatUtc(DateTime.fromJSDate(now));
  const sequence = Number(firstProperty(comp, 'SEQUENCE')?.value ?? '0');
  const next = Number.isFinite(sequence) ? Math.max(0, Math.trunc(sequence)) + 1 : 1;
  replaceProperty(comp, 'SEQUENCE', [{ name: 'SEQUENCE', params: {}, value: String(next) }], eol);
  replaceProperty(comp, 'DTSTAMP', [{ name: 'DTSTAMP', params: {}, value: stamp }], eol);
  replaceProperty(comp, 'LAST-MODIFIED', [{ name: 'LAST-MODIFIED', params: {}, value: stamp }], eol);
}

/** Adds the VTIMEZONEs that newly written lines need and the calendar lacks. */
function addTimezones(calendar: Component | undefined, spec: ComponentSpec, changed: string[]): void {
  if (!calendar || !spec.timezones) return;
  const present = new Set(
    subComponents(calendar, 'VTIMEZONE').map((tz) => tzidKey(firstProperty(tz, 'TZID')?.value ?? '')),
  );
  const needed = new Set(
    [...Object.values(spec.set).flat(), ...(spec.addExdates ?? [])]
      .map((l) => (l.params['TZID'] === undefined ? undefined : tzidKey(l.params['TZID'])))
      .filter((z): z is string => z !== undefined && !present.has(z)),
  );
  for (const text of spec.timezones) {
    const block = parseTree(text).find(isComponent);
    const tzid = block ? tzidKey(firstProperty(block, 'TZID')?.value ?? '') : undefined;
    if (!block || !tzid || !needed.has(tzid)) continue;
    calendar.children.splice(insertionIndex(calendar), 0, block);
    changed.push('VTIMEZONE');
  }
}

/** Master properties an override does not inherit (the recurrence and the version stamps). */
const notInherited = new Set([
  'RRULE',
  'RDATE',
  'EXDATE',
  'EXRULE',
  'SEQUENCE',
  'DTSTAMP',
  'LAST-MODIFIED',
  'CREATED',
]);

/** A new override: the master's other properties and alarms, its own RECURRENCE-ID. */
function newOverride(master: Component, recurrenceId: ContentLine, eol: string): Component {
  const children = master.children.filter((child) => {
    if (isComponent(child)) return child.name === 'VALARM';
    const name = parseContentLine(child.unfolded)?.name;
    return name !== undefined && !notInherited.has(name);
  });
  const at = children.findIndex(isComponent);
  children.splice(at < 0 ? children.length : at, 0, rawLineOf(recurrenceId, eol));
  return { name: master.name, begin: master.begin, end: master.end, children };
}

/** Patches (or adds) one override; true when anything changed. */
function applyOverride(
  tree: (RawLine | Component)[],
  master: Component,
  spec: ComponentSpec,
  override: OverrideSpec,
  now: Date,
  eol: string,
): boolean {
  const existing = findComponents(tree, spec.component).find((c) => {
    const rid = firstProperty(c, 'RECURRENCE-ID');
    return (
      firstProperty(c, 'UID')?.value.trim() === spec.uid &&
      rid !== undefined &&
      sameProperty(rid, override.recurrenceId)
    );
  });
  const target = existing ?? newOverride(master, override.recurrenceId, eol);
  const changed: string[] = [];
  applyProperties(target, override.set, spec.component, eol, changed);
  if (existing && changed.length === 0) return false;
  bumpVersion(target, now, eol);
  if (!existing) {
    const parent = findParent(tree, master);
    parent.splice(parent.indexOf(master) + 1, 0, target);
  }
  return true;
}

function findParent(nodes: (RawLine | Component)[], child: Component): (RawLine | Component)[] {
  if (nodes.includes(child)) return nodes;
  for (const node of nodes) {
    if (!isComponent(node)) continue;
    const found = findParent(node.children, child);
    if (found.length > 0) return found;
  }
  return [];
}

export interface PatchOptions {
  now: Date;
  /**
   * Limit the patch to these names (properties, 'VALARM', 'EXDATE'): the fields the Kakao side
   * actually changed, so an approximation made on import is not written back over the original.
   */
  only?: string[];
}

function restrict(spec: ComponentSpec, only: string[] | undefined): ComponentSpec {
  if (!only) return spec;
  const keep = new Set(only.map((n) => n.toUpperCase()));
  // The end is DTEND/DUE or DURATION: whichever the object uses.
  if (keep.has('DTEND') || keep.has('DUE')) keep.add('DURATION');
  const set = Object.fromEntries(Object.entries(spec.set).filter(([name]) => keep.has(name)));
  const out: ComponentSpec = { ...spec, set };
  if (!keep.has('VALARM')) delete out.alarms;
  if (!keep.has('EXDATE')) delete out.addExdates;
  if (!keep.has('OVERRIDES')) delete out.overrides;
  return out;
}

export function patchIcs(original: string, fullSpec: ComponentSpec, opts: PatchOptions): PatchResult {
  const spec = restrict(fullSpec, opts.only);
  const now = opts.now;
  const tree = parseTree(original);
  const eol = readLines(original)[0]?.eol || '\r\n';
  const master = findComponents(tree, spec.component).find(
    (c) => firstProperty(c, 'UID')?.value.trim() === spec.uid && !firstProperty(c, 'RECURRENCE-ID'),
  );
  if (!master) throw new PatchTargetMissingError(spec.uid, spec.component);
  const changed: string[] = [];
  applyProperties(master, spec.set, spec.component, eol, changed);
  if (spec.addExdates) applyExdates(master, spec.addExdates, eol, changed);
  if (spec.alarms) applyAlarms(master, spec.alarms, eol, changed);
  if (changed.length > 0) bumpVersion(master, now, eol);
  for (const override of spec.overrides ?? []) {
    if (applyOverride(tree, master, spec, override, now, eol)) {
      changed.push(`RECURRENCE-ID:${override.recurrenceId.value}`);
    }
  }
  if (changed.length === 0) return { ics: original, changed };
  const calendar = tree.find((n): n is Component => isComponent(n) && n.name === 'VCALENDAR');
  addTimezones(calendar, spec, changed);
  return { ics: serializeTree(tree, eol), changed };
}
