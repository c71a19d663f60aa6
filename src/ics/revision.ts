// Which of two components for the same instance (same UID and RECURRENCE-ID, or none) is the
// later revision: the higher SEQUENCE, then the later DTSTAMP, then the one read later (RFC 5546
// §2.1.5 orders iTIP revisions so). One rule for the feed splitter and the translator.

export interface Revision {
  sequence: number;
  /** DTSTAMP as written ('' without one): UTC yyyyMMddTHHmmssZ values compare as text. */
  stamp: string;
}

/** Whether `next` (read after `seen`) supersedes `seen`. */
export function supersedes(next: Revision, seen: Revision): boolean {
  if (next.sequence !== seen.sequence) return next.sequence > seen.sequence;
  return next.stamp >= seen.stamp;
}
