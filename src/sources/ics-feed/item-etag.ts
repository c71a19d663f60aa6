// A feed has no per-item ETags, so an item's version is the hash of its content. Properties that
// change on every download without the event changing (DTSTAMP, LAST-MODIFIED, PRODID... as in
// vdirsyncer's item hashing) are left out, or every poll would look like an edit of everything.
import { createHash } from 'node:crypto';
import { eachUnfoldedLine, propertyName } from '../../ics/content-lines.js';
import { volatileProps } from '../ics-split.js';

/**
 * The first 128 bits of the sha256 of an item's content lines without volatile properties, in
 * base64url (22 characters), insensitive to folding. It is stored twice per event (the feed cursor,
 * the mapping item): 128 bits tell versions apart as surely as 256 at a third of the 64 hex digits.
 * Versions of the older full-hex form simply differ once, when the feed next changes: its items
 * are read and translated again, and only what really changed is written.
 */
export function itemEtag(ics: string): string {
  const hash = createHash('sha256');
  eachUnfoldedLine(ics, (line) => {
    if (volatileProps.has(propertyName(line) ?? '')) return;
    hash.update(line.trimEnd());
    hash.update('\n');
  });
  return hash.digest().subarray(0, 16).toString('base64url');
}
