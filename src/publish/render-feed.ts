import { colorsNamed, differenceEuclidean, nearest } from 'culori';
import { foldLine } from '../translate/ics-lines.js';
import { renderVevents } from '../translate/render-vevents.js';
import type { VeventSpec } from '../translate/vevent-spec.js';

// One feed body: the events rendered by render-vevents (ical-generator), then the properties a
// subscription needs: REFRESH-INTERVAL / X-PUBLISHED-TTL (how often to come back), and per event
// LAST-MODIFIED and an RFC 7986 COLOR (nearest CSS3 colour name). Deterministic for equal input:
// DTSTAMP is the newest LAST-MODIFIED, so an unchanged calendar yields the same bytes (and ETag).

export interface FeedMeta {
  name: string;
  description: string;
  refreshMinutes: number;
}

const cssNames = Object.keys(colorsNamed);
const nearestName = nearest(cssNames, differenceEuclidean('rgb'));
const colourNameCache = new Map<string, string>();

/** The CSS3 colour name nearest to a hex colour (RFC 7986 COLOR takes a CSS3 name). */
export function cssColourName(hex: string): string {
  let name = colourNameCache.get(hex);
  if (!name) {
    name = nearestName(`#${hex.replace(/^#/, '')}`, 1)[0] ?? 'gray';
    colourNameCache.set(hex, name);
  }
  return name;
}

function calendarLines(meta: FeedMeta): string[] {
  const ttl = `PT${meta.refreshMinutes}M`;
  return [`REFRESH-INTERVAL;VALUE=DURATION:${ttl}`, `X-PUBLISHED-TTL:${ttl}`];
}

/** Inserts lines after PRODID and, in each VEVENT, after its (possibly folded) UID line. */
function decorate(text: string, meta: FeedMeta, extra: Map<string, string[]>): string {
  const lines = text.split('\r\n');
  const out: string[] = [];
  let inEvent = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    out.push(line);
    if (line === 'BEGIN:VEVENT') inEvent = true;
    else if (line === 'END:VEVENT') inEvent = false;
    else if (!inEvent && line.startsWith('PRODID:')) out.push(...calendarLines(meta));
    else if (inEvent && line.startsWith('UID:')) {
      let uid = line.slice(4);
      while ((lines[i + 1] ?? '').startsWith(' ')) {
        i++;
        out.push(lines[i] ?? '');
        uid += (lines[i] ?? '').slice(1);
      }
      for (const add of extra.get(uid) ?? []) out.push(foldLine(add));
    }
  }
  return out.join('\r\n');
}

const compact = (iso: string) => iso.replace(/[-:]/g, '').replace(/\.\d{3}/, '');

export function renderFeed(specs: VeventSpec[], lastModified: Map<string, string>, meta: FeedMeta): string {
  const newest = [...lastModified.values()].sort().at(-1);
  const text = renderVevents(specs, {
    name: meta.name,
    description: meta.description,
    prodId: '//talkcal-sync//Published Talk Calendar//EN',
    now: new Date(newest ?? 0),
  });
  const extra = new Map<string, string[]>();
  for (const spec of specs) {
    const lines: string[] = [];
    const modified = lastModified.get(spec.uid);
    if (modified) lines.push(`LAST-MODIFIED:${compact(modified)}`);
    if (spec.color) lines.push(`COLOR:${cssColourName(spec.color.hex)}`);
    extra.set(spec.uid, lines);
  }
  return decorate(text, meta, extra);
}
