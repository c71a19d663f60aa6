// The occurrences one Kakao event shows once the sync has created it and applied its instance
// operations in order, as Talk Calendar applies them: THIS edits one instance; THIS_AND_FOLLOWING
// (RANGE=THISANDFUTURE) ends the series before the instance and continues it as a new event moved
// by the same offset, so later operations addressed to the old event find no instance there.
import { DateTime, type Duration } from 'luxon';
import type { DesiredEvent, InstanceOperation } from '../../model/desired.js';
import { expandMaster } from '../../translate/kakao-to-ical.js';

export interface Occurrence {
  start: string;
  end: string;
  allDay: boolean;
  title: string;
}

const utcIso = (at: DateTime): string => at.toUTC().toISO({ suppressMilliseconds: true }) ?? '';
const kakaoUtc = (text: string): DateTime => DateTime.fromISO(text, { zone: 'UTC' });
const keyFormat = "yyyyMMdd'T'HHmmss'Z'";
const instanceKeyOf = (at: DateTime): string => at.toUTC().toFormat(keyFormat);
const keyMs = (key: string): number => DateTime.fromFormat(key, keyFormat, { zone: 'UTC' }).toMillis();
/** How far an operation moves its instance (ms). */
const shiftOf = (op: InstanceOperation): number =>
  op.update?.time ? kakaoUtc(op.update.time.start_at).toMillis() - keyMs(op.instanceStart) : 0;

/** How the instances from a THIS_AND_FOLLOWING split onwards look: moved, resized, retitled. */
interface Tail {
  from: string;
  /** Instances before this key belong to an earlier split (or the original series). */
  until: string | undefined;
  deleted: boolean;
  shiftMs: number;
  length: Duration | undefined;
  title: string | undefined;
  /** A moving split drops the single-instance edits after it; one in place keeps them. */
  dropsEdits: boolean;
}

interface Edits {
  deleted: Set<string>;
  updated: Map<string, InstanceOperation>;
  tails: Tail[];
}

/** The operations as they land, in order: an operation past an earlier split finds no instance. */
function applyInOrder(ops: readonly InstanceOperation[], occurs: Set<string>, length: Duration): Edits {
  const edits: Edits = { deleted: new Set(), updated: new Map(), tails: [] };
  let cut: string | undefined;
  for (const op of ops) {
    const key = op.instanceStart;
    if (!occurs.has(key) || (cut !== undefined && key >= cut)) continue;
    if (op.scope === 'THIS') {
      if (op.action === 'delete') edits.deleted.add(key);
      else edits.updated.set(key, op);
      continue;
    }
    const time = op.update?.time;
    const shiftMs = shiftOf(op);
    edits.tails.push({
      from: key,
      until: cut,
      deleted: op.action === 'delete',
      shiftMs,
      length: time ? kakaoUtc(time.end_at).diff(kakaoUtc(time.start_at)) : length,
      title: op.update?.title,
      dropsEdits: shiftMs !== 0,
    });
    cut = key;
  }
  return edits;
}

function tailOf(edits: Edits, key: string): Tail | undefined {
  return edits.tails.find((t) => key >= t.from && (t.until === undefined || key < t.until));
}

/** Occurrences of one Kakao event as Kakao will show them: its rule, minus deletions, plus moves. */
export function unitOccurrences(unit: DesiredEvent, from: Date, to: Date): Occurrence[] {
  const ev = unit.event;
  const allDay = ev.time.all_day === true;
  const start = kakaoUtc(ev.time.start_at);
  const length = kakaoUtc(ev.time.end_at).diff(start);
  const inWindow = (s: DateTime, e: DateTime) => e.toMillis() > from.getTime() && s.toMillis() < to.getTime();
  const occurrence = (s: DateTime, e: DateTime, title: string): Occurrence => ({
    start: utcIso(s),
    end: utcIso(e),
    allDay,
    title,
  });
  if (!ev.rrule) {
    const end = start.plus(length);
    return inWindow(start, end) ? [occurrence(start, end, ev.title)] : [];
  }
  const zone = allDay ? 'UTC' : (ev.time.time_zone ?? 'Asia/Seoul');
  // A split moves later instances by its offset: expand wide enough to see them move in.
  const shifts = unit.instances.map((op) => Math.abs(shiftOf(op)));
  const margin = Math.max(length.toMillis(), ...shifts);
  const starts = expandMaster(
    {
      uid: '',
      summary: ev.title,
      start: start.setZone(zone),
      end: start.plus(length).setZone(zone),
      allDay,
      zone,
      rrule: ev.rrule,
      exdates: [],
      overrides: [],
      alarms: [],
      busy: false,
      lunar: false,
      sequence: 0,
    },
    { from: new Date(from.getTime() - margin), to: new Date(to.getTime() + margin) },
  );
  const keys = starts.map(instanceKeyOf);
  const edits = applyInOrder(unit.instances, new Set(keys), length);
  const out: Occurrence[] = [];
  starts.forEach((at, i) => {
    const key = keys[i] as string;
    const tail = tailOf(edits, key);
    if (tail?.deleted || edits.deleted.has(key)) return;
    const edit = tail?.dropsEdits && key !== tail.from ? undefined : edits.updated.get(key);
    let s = at.plus(tail?.shiftMs ?? 0);
    let e = s.plus(tail?.length ?? length);
    let title = tail?.title ?? ev.title;
    if (edit?.update?.time) {
      s = kakaoUtc(edit.update.time.start_at);
      e = kakaoUtc(edit.update.time.end_at);
    }
    if (edit?.update?.title !== undefined) title = edit.update.title;
    if (inWindow(s, e)) out.push(occurrence(s, e, title));
  });
  return out.sort((a, b) => a.start.localeCompare(b.start));
}
