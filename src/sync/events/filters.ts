import type { DesiredEventItem, DesiredItem } from '../../model/desired.js';
import type { Link } from '../../model/link.js';
import type { SourceItem } from '../../sources/storage.js';

// A link's filters and privacy setting, applied to translated items before planning (pure).

/** Index of the colon that starts a content line's value (colons inside quoted params don't count). */
function valueColon(line: string): number {
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    if (line[i] === '"') quoted = !quoted;
    else if (line[i] === ':' && !quoted) return i;
  }
  return line.length;
}

/** True when the user's own ATTENDEE line in the item says PARTSTAT=DECLINED. */
export function declinedBy(ics: string, addresses: readonly string[]): boolean {
  if (addresses.length === 0) return false;
  const mine = new Set(addresses.map((a) => a.toLowerCase().replace(/^mailto:/, '')));
  const unfolded = ics.replace(/\r?\n[ \t]/g, '');
  for (const line of unfolded.split(/\r?\n/)) {
    if (!/^ATTENDEE[;:]/i.test(line)) continue;
    const colon = valueColon(line);
    const params = line.slice(0, colon).toUpperCase();
    const address = line
      .slice(colon + 1)
      .trim()
      .toLowerCase()
      .replace(/^mailto:/, '');
    if (mine.has(address) && /;PARTSTAT=DECLINED(;|$)/.test(params)) return true;
  }
  return false;
}

function titleOf(item: DesiredItem): string {
  return item.kind === 'task' ? item.task.content : (item.units[0]?.event.title ?? '');
}

function timingOk(item: DesiredItem, timing: Link['filters']['timing']): boolean {
  if (timing === 'both' || item.kind === 'task') return true;
  const allDay = item.units.every((u) => u.event.time.all_day === true);
  return timing === 'allDay' ? allDay : !allDay;
}

export function passesFilters(link: Link, source: SourceItem, item: DesiredItem): boolean {
  const f = link.filters;
  const title = titleOf(item);
  if (f.includeTitle !== undefined && !new RegExp(f.includeTitle).test(title)) return false;
  if (f.excludeTitle !== undefined && new RegExp(f.excludeTitle).test(title)) return false;
  if (!timingOk(item, f.timing)) return false;
  if (f.dropDeclined && declinedBy(source.ics, f.userAddresses)) return false;
  return true;
}

const busyTitle = 'Busy';

/** Strips what the link's privacy setting hides from Talk Calendar. */
export function applyPrivacy(link: Link, item: DesiredItem): DesiredItem {
  if (link.privacy === 'full' || item.kind === 'task') return item;
  const units = item.units.map((u) => {
    const { description: _d, location: _l, ...rest } = u.event;
    const event = link.privacy === 'busy-only' ? { ...rest, title: busyTitle } : rest;
    const instances = u.instances.map((op) => {
      if (!op.update) return op;
      const { description: _od, location: _ol, ...update } = op.update;
      return { ...op, update: link.privacy === 'busy-only' ? { ...update, title: busyTitle } : update };
    });
    return { ...u, event, instances };
  });
  return { ...item, units } satisfies DesiredEventItem;
}

/** Default reminders: with suppressDefaultReminders an item without alarms gets `reminders: []`. */
export function applyReminderPolicy(link: Link, item: DesiredItem): DesiredItem {
  if (!link.suppressDefaultReminders || item.kind === 'task') return item;
  return {
    ...item,
    units: item.units.map((u) => (u.event.reminders ? u : { ...u, event: { ...u.event, reminders: [] } })),
  };
}
