// The feed cursor: what the caller stores between two list() calls. It is read back from storage
// the caller controls, so it is parsed as untrusted input; a bad cursor only costs a full fetch.
import { z } from 'zod';

const cursorSchema = z.object({
  v: z.literal(1),
  etag: z.string().max(1024).optional(),
  lastModified: z.string().max(256).optional(),
  bodyHash: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional(),
  /** [href, etag] pairs: an array, because a UID such as "__proto__" is not a safe object key. */
  itemEtags: z.array(z.tuple([z.string(), z.string()])),
});

export type FeedCursor = z.infer<typeof cursorSchema>;

export function encodeCursor(cursor: FeedCursor): string {
  return JSON.stringify(cursor);
}

/** The cursor, or undefined when absent or unreadable (then the feed is simply fetched in full). */
export function decodeCursor(text: string | undefined): FeedCursor | undefined {
  if (!text) return undefined;
  try {
    const parsed = cursorSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
