// A feed has no per-item ETags, so an item's version is the hash of its content. Properties that
// change on every download without the event changing (DTSTAMP, LAST-MODIFIED, PRODID... as in
// vdirsyncer's item hashing) are left out, or every poll would look like an edit of everything.
import { createHash } from 'node:crypto';
import { eachUnfoldedLine, propertyName } from '../../ics/content-lines.js';
import { volatileProps } from '../ics-split.js';

/** sha256 (hex) of an item's content lines without volatile properties, insensitive to folding. */
export function itemEtag(ics: string): string {
  const hash = createHash('sha256');
  eachUnfoldedLine(ics, (line) => {
    if (volatileProps.has(propertyName(line) ?? '')) return;
    hash.update(line.trimEnd());
    hash.update('\n');
  });
  return hash.digest('hex');
}
