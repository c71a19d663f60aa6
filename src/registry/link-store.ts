import { kakaoLimits } from '../kakao/types.js';
import { safeUrl } from '../log.js';
import { type Link, type LinkInput, linkSchema, type SourceConfig } from '../model/link.js';
import type { SecretBox } from './crypto.js';
import {
  InvalidRegistryInputError,
  LinkNotFoundError,
  SubCalendarLimitError,
  UserNotFoundError,
} from './errors.js';
import type { RegistryKeys } from './keys.js';
import type { RedisConnection } from './redis.js';

// Links of one user, one Redis hash (linkId → JSON). The whole source config (URL, headers,
// passwords, bearer tokens) is sealed: feed URLs often carry a secret of their own. A redacted view
// of the source is kept beside it for listings.

/** What the API and CLI may show of a link's source. */
export interface PublicSource {
  type: SourceConfig['type'];
  url: string;
  component?: 'event' | 'todo';
  hasCredentials: boolean;
}

/** A removed link's sub-calendar that the daemon created and left in Talk Calendar. */
export interface LeftCalendar {
  calendarId: string;
  name?: string;
}

export type PublicLink = Omit<Link, 'source'> & { source: PublicSource };

interface StoredLink {
  link: Omit<Link, 'source'>;
  source: PublicSource;
  sealedSource: string;
}

export class LinkStore {
  constructor(
    private readonly redis: RedisConnection,
    private readonly keys: RegistryKeys,
    private readonly box: SecretBox,
  ) {}

  /** Validates and stores a link (replacing one with the same id). */
  async put(userId: string, input: LinkInput | unknown): Promise<PublicLink> {
    if ((await this.redis.exists(this.keys.user(userId))) !== 1) throw new UserNotFoundError(userId);
    const parsed = linkSchema.safeParse(input);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(link)'}: ${i.message}`);
      throw new InvalidRegistryInputError(`invalid link: ${issues.join('; ')}`);
    }
    const link = parsed.data;
    const existing = await this.getAll(userId);
    const previous = existing.find((l) => l.id === link.id);
    if (link.target.kind === 'sub-calendar') {
      // Whether the daemon made the calendar is the daemon's record, never the input's word.
      const { createdByDaemon: _claimed, ...target } = link.target;
      link.target = target;
      if (previous?.target.kind === 'sub-calendar' && previous.target.calendarId) {
        const { calendarId, createdByDaemon } = previous.target;
        // Keep the id of the sub-calendar an earlier sync created for this link.
        if (!link.target.calendarId && previous.target.name === link.target.name)
          link.target = { ...link.target, calendarId };
        if (link.target.calendarId === calendarId && createdByDaemon)
          link.target = { ...link.target, createdByDaemon };
      }
    }
    assertSubCalendarRoom(
      userId,
      existing.filter((l) => l.id !== link.id),
      link,
    );
    await this.write(userId, link);
    return publicLink(link);
  }

  async get(userId: string, linkId: string): Promise<Link> {
    const raw = await this.redis.hget(this.keys.links(userId), linkId);
    if (!raw) throw new LinkNotFoundError(userId, linkId);
    return this.open(userId, raw);
  }

  /** Every link of the user with decrypted sources: for the sync engine only, never for output. */
  async getAll(userId: string): Promise<Link[]> {
    const all = await this.redis.hgetall(this.keys.links(userId));
    return Object.values(all)
      .map((raw) => this.open(userId, raw))
      .sort((a, b) => a.id.localeCompare(b.id));
  }

  async list(userId: string): Promise<PublicLink[]> {
    const all = await this.redis.hgetall(this.keys.links(userId));
    return Object.values(all)
      .map((raw) => {
        const stored = JSON.parse(raw) as StoredLink;
        return { ...stored.link, source: stored.source } as PublicLink;
      })
      .sort((a, b) => a.id.localeCompare(b.id));
  }

  async remove(userId: string, linkId: string): Promise<boolean> {
    return (await this.redis.hdel(this.keys.links(userId), linkId)) === 1;
  }

  /** Records the sub-calendar a removed link left in Talk Calendar (so it can still be deleted). */
  async recordLeftCalendar(userId: string, linkId: string, calendar: LeftCalendar): Promise<void> {
    await this.redis.hset(this.keys.leftCalendars(userId), linkId, JSON.stringify(calendar));
  }

  async leftCalendar(userId: string, linkId: string): Promise<LeftCalendar | undefined> {
    const raw = await this.redis.hget(this.keys.leftCalendars(userId), linkId);
    return raw ? (JSON.parse(raw) as LeftCalendar) : undefined;
  }

  async forgetLeftCalendar(userId: string, linkId: string): Promise<void> {
    await this.redis.hdel(this.keys.leftCalendars(userId), linkId);
  }

  /** Records the Kakao id of the sub-calendar the first sync created (or adopted) for a link. */
  async setSubCalendarId(userId: string, linkId: string, calendarId: string): Promise<void> {
    const link = await this.get(userId, linkId);
    if (link.target.kind !== 'sub-calendar') return;
    link.target = { ...link.target, calendarId, createdByDaemon: true };
    await this.write(userId, link);
  }

  /**
   * Gives the link a new name, and its sub-calendar too (the caller renamed it in Talk Calendar).
   * No replan: a name shapes no item.
   */
  async rename(userId: string, linkId: string, name: string): Promise<PublicLink> {
    const link = await this.get(userId, linkId);
    link.name = name;
    if (link.target.kind === 'sub-calendar') link.target = { ...link.target, name };
    await this.write(userId, link);
    return publicLink(link);
  }

  /** Re-seals every source sealed with another key; returns how many were. */
  async reseal(userId: string): Promise<number> {
    const all = await this.redis.hgetall(this.keys.links(userId));
    let count = 0;
    for (const raw of Object.values(all)) {
      const stored = JSON.parse(raw) as StoredLink;
      if (this.box.keyIdOf(stored.sealedSource) === this.box.activeKeyId) continue;
      await this.write(userId, this.open(userId, raw));
      count++;
    }
    return count;
  }

  private async write(userId: string, link: Link): Promise<void> {
    const { source, ...rest } = link;
    const stored: StoredLink = {
      link: rest,
      source: publicSource(source),
      sealedSource: this.box.seal(JSON.stringify(source), `link:${userId}:${link.id}`),
    };
    await this.redis.hset(this.keys.links(userId), link.id, JSON.stringify(stored));
  }

  private open(userId: string, raw: string): Link {
    const stored = JSON.parse(raw) as StoredLink;
    const source = JSON.parse(
      this.box.open(stored.sealedSource, `link:${userId}:${stored.link.id}`),
    ) as SourceConfig;
    return { ...stored.link, source } as Link;
  }
}

export function publicSource(source: SourceConfig): PublicSource {
  const hasCredentials =
    source.type === 'ics'
      ? Object.keys(source.headers ?? {}).length > 0
      : Boolean(source.password || source.bearer || source.username);
  return {
    type: source.type,
    url: safeUrl(source.url),
    ...(source.type === 'caldav' ? { component: source.component } : {}),
    hasCredentials,
  };
}

export function publicLink(link: Link): PublicLink {
  return { ...link, source: publicSource(link.source) };
}

/** Sub-calendars the user's links own, by calendar id once created, else by name. */
function subCalendarKeys(links: Link[]): Set<string> {
  const keys = new Set<string>();
  for (const l of links) {
    if (l.target.kind === 'sub-calendar')
      keys.add(l.target.calendarId ?? (l.target.name ? `name:${l.target.name}` : `link:${l.id}`));
  }
  return keys;
}

function assertSubCalendarRoom(userId: string, others: Link[], link: Link): void {
  if (link.target.kind !== 'sub-calendar') return;
  const keys = subCalendarKeys(others);
  const { name, calendarId } = link.target;
  // A link without a name takes the source's name at its first sync: count it as its own calendar.
  const own = calendarId ?? (name ? `name:${name}` : `link:${link.id}`);
  const sharesByName =
    name !== undefined && others.some((l) => l.target.kind === 'sub-calendar' && l.target.name === name);
  if (keys.has(own) || sharesByName) return;
  if (keys.size >= kakaoLimits.subCalendarsPerService) {
    throw new SubCalendarLimitError(userId, kakaoLimits.subCalendarsPerService);
  }
}
