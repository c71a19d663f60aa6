// The emulator's own control surface (tests, benchmarks, demo): seed users and events, read state,
// the request log, faults, tokens, quota and the clock. Exposed as methods and under /_emulator/.
import type { EventCreate, KakaoColor } from '../kakao/types.js';
import { validateEventCreate } from '../kakao/validate.js';
import { KakaoApiFailure, notFound } from './errors.js';
import { buildEvent } from './event-edit.js';
import { newObjectId } from './ids.js';
import type { StoredEvent } from './model.js';
import {
  allScopes,
  type EmulatorState,
  type EmulatorUser,
  type Fault,
  type RequestLogEntry,
} from './state.js';
import { formatKakao } from './time.js';

export interface CreatedUser {
  userId: string;
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  refreshTokenExpiresIn: number;
}

export type SeedEvent = Partial<EventCreate> & { calendar_id?: string; foreign?: boolean };

export class AdminInputError extends KakaoApiFailure {}

export interface NewEmulatorUser {
  userId?: string;
  scopes?: string[];
  /** false: a Kakao Account without Kakao Talk (relationship checks answer -501). */
  talkUser?: boolean;
  /** Mobile number registered in Kakao Talk (customer files by phone). */
  phone?: string;
}

const relations = ['ADDED', 'BLOCKED', 'NONE'] as const;

function storedEventJson(e: StoredEvent) {
  return {
    id: e.id,
    calendar_id: e.calendarId,
    type: e.type,
    foreign: e.foreign,
    title: e.title,
    time: {
      start_at: formatKakao(e.time.start),
      end_at: formatKakao(e.time.end),
      time_zone: e.time.timeZone,
      all_day: e.time.allDay,
      lunar: e.time.lunar,
    },
    ...(e.rrule !== undefined ? { rrule: e.rrule } : {}),
    ...(e.description !== undefined ? { description: e.description } : {}),
    ...(e.location !== undefined ? { location: e.location } : {}),
    ...(e.reminders !== undefined ? { reminders: e.reminders } : {}),
    ...(e.color !== undefined ? { color: e.color } : {}),
    ...(e.memo !== undefined ? { memo: e.memo } : {}),
    exdates: [...e.exdates].sort(),
    overrides: Object.fromEntries(
      [...e.overrides].map(([k, o]) => [
        k,
        {
          ...o,
          ...(o.time
            ? { time: { start_at: formatKakao(o.time.start), end_at: formatKakao(o.time.end) } }
            : {}),
        },
      ]),
    ),
    created_at: e.createdAt.toISOString(),
    updated_at: e.updatedAt.toISOString(),
  };
}

export class EmulatorAdmin {
  constructor(private readonly state: EmulatorState) {}

  private user(userId: string): EmulatorUser {
    const user = this.state.users.get(userId);
    if (!user) throw notFound('user', userId);
    return user;
  }

  createUser(input: NewEmulatorUser = {}): CreatedUser {
    const user = this.state.createUser(input.userId, input.scopes ?? allScopes);
    if (input.talkUser !== undefined) user.talkUser = input.talkUser;
    if (input.phone !== undefined) user.phone = input.phone;
    const grant = this.state.tokens.issuePair(user.id, this.state.now().getTime());
    return {
      userId: user.id,
      accessToken: grant.access_token,
      refreshToken: grant.refresh_token!,
      expiresIn: grant.expires_in,
      refreshTokenExpiresIn: grant.refresh_token_expires_in!,
    };
  }

  /** Seeds an event. `foreign: true` = created by another app (listed with only `time`). */
  seedEvent(userId: string, seed: SeedEvent): { event_id: string } {
    const user = this.user(userId);
    const { calendar_id: calendarId = 'primary', foreign = false, ...body } = seed;
    if (!foreign) {
      const issues = validateEventCreate(body as EventCreate);
      if (issues.length > 0) {
        throw new AdminInputError(400, -2, issues.map((i) => `${i.field} ${i.message}`).join('; '));
      }
    } else if (typeof body.time?.start_at !== 'string' || typeof body.time?.end_at !== 'string') {
      throw new AdminInputError(400, -2, 'time.start_at and time.end_at are required');
    }
    if (!user.calendars.has(calendarId)) {
      // Calendars of other apps appear on first use, like a user creating one in the Talk Calendar app.
      user.calendars.set(calendarId, { id: calendarId, name: calendarId, color: 'GRAY', ownedByApp: false });
    }
    const event = buildEvent(
      { title: 'Busy', ...body } as EventCreate,
      calendarId,
      this.state.now(),
      foreign,
    );
    user.events.add(event);
    return { event_id: event.id };
  }

  /** Adds a calendar created outside this app (counts toward the 99-calendar total). */
  seedCalendar(userId: string, input: { name?: string; color?: KakaoColor } = {}): { calendar_id: string } {
    const user = this.user(userId);
    const id = `user_${newObjectId()}`;
    user.calendars.set(id, {
      id,
      name: input.name ?? 'Other app',
      color: input.color ?? 'GRAY',
      ownedByApp: false,
    });
    return { calendar_id: id };
  }

  events(userId: string) {
    return [...this.user(userId).events.all()].map(storedEventJson);
  }

  tasks(userId: string) {
    return [...this.user(userId).tasks.values()].map((t) => ({
      task_id: t.id,
      content: t.content,
      bookmark: t.bookmark,
      completed: t.completed,
      is_ended: t.isEnded,
      ...(t.dueInfo ? { due_info: t.dueInfo } : {}),
      records: Object.fromEntries(t.records),
      updated_at: t.updatedAt.toISOString(),
    }));
  }

  calendars(userId: string) {
    return [...this.user(userId).calendars.values()];
  }

  requests(): RequestLogEntry[] {
    return [...this.state.requestLog];
  }

  clearRequests(): void {
    this.state.requestLog.length = 0;
  }

  addFault(fault: Fault): void {
    if (typeof fault.path !== 'string' || !Number.isInteger(fault.times) || fault.times < 1) {
      throw new AdminInputError(400, -2, 'a fault needs path and times ≥ 1');
    }
    const p = fault.probability;
    if (p !== undefined && !(typeof p === 'number' && p > 0 && p <= 1)) {
      throw new AdminInputError(400, -2, 'a fault probability must be a number in (0, 1]');
    }
    this.state.faults.push({ ...fault });
  }

  clearFaults(): void {
    this.state.faults = [];
  }

  expireTokens(userId: string): void {
    this.state.tokens.expireAccess(userId, this.state.now().getTime());
  }

  revokeTokens(userId: string): void {
    this.state.tokens.revoke(userId);
  }

  setQuota(input: { enabled?: boolean; daily?: number; used?: number }): void {
    this.state.rollQuotaDay();
    const q = this.state.quota;
    if (input.enabled !== undefined) q.enabled = input.enabled;
    if (input.daily !== undefined) q.daily = input.daily;
    if (input.used !== undefined) q.used = input.used;
  }

  quota(): { used: number; daily: number; resetsAt: string; enabled: boolean } {
    this.state.rollQuotaDay();
    const q = this.state.quota;
    return { used: q.used, daily: q.daily, resetsAt: q.resetsAt.toISOString(), enabled: q.enabled };
  }

  /** Sets the clock to `now`; with `rate` it runs that many times faster than real time from `realAt`. */
  setClock(now: Date, rate?: number, realAt?: number): void {
    this.state.setNow(now, rate, realAt);
  }

  /** Deletes an event as its owner would in Talk Calendar (drift the app has to find). */
  deleteEvent(userId: string, eventId: string): boolean {
    const user = this.user(userId);
    for (const event of user.events.all()) {
      if (event.id !== eventId) continue;
      user.events.remove(event);
      return true;
    }
    return false;
  }

  /** Connects a Talk Channel to the app (the emulator starts with `_emulator` only). */
  addChannel(input: { channelPublicId?: unknown; uuid?: unknown }): { channel_public_id: string } {
    const id = input.channelPublicId;
    if (typeof id !== 'string' || !/^_[A-Za-z0-9]{1,30}$/.test(id)) {
      throw new AdminInputError(400, -2, 'channelPublicId must look like _ZeUTxl');
    }
    const channel = this.state.addChannel(id, typeof input.uuid === 'string' ? input.uuid : undefined);
    return { channel_public_id: channel.publicId };
  }

  /** Sets a user's relationship with a channel, as the user adding or blocking it would. */
  setRelation(channelPublicId: string, input: { userId?: unknown; relation?: unknown }): void {
    const channel = this.state.channels.get(channelPublicId);
    if (!channel) throw notFound('channel', channelPublicId);
    const user = this.user(String(input.userId ?? ''));
    const relation = input.relation;
    if (!relations.includes(relation as (typeof relations)[number])) {
      throw new AdminInputError(400, -2, 'relation must be ADDED, BLOCKED or NONE');
    }
    const now = this.state.now();
    if (relation === 'NONE') channel.relations.delete(user.id);
    else if (relation === 'ADDED') channel.relations.set(user.id, { relation, addedAt: now, updatedAt: now });
    else channel.relations.set(user.id, { relation: 'BLOCKED', updatedAt: now });
  }

  /** A channel's relationships and customer files (with their users). */
  channel(channelPublicId: string) {
    const channel = this.state.channels.get(channelPublicId);
    if (!channel) throw notFound('channel', channelPublicId);
    return {
      channel_public_id: channel.publicId,
      channel_uuid: channel.uuid,
      relations: Object.fromEntries([...channel.relations].map(([id, r]) => [id, r.relation])),
      files: [...channel.files.values()].map((f) => ({
        file_id: f.id,
        file_name: f.name,
        schema: f.schema,
        users: Object.fromEntries(f.users),
      })),
    };
  }

  /** Users who follow a public event, with the calendar it is in. */
  followers(eventId: string): { userId: string; calendarId: string }[] {
    return [...this.state.users.values()].flatMap((u) => {
      const f = u.follows.get(eventId);
      return f ? [{ userId: u.id, calendarId: f.calendarId }] : [];
    });
  }
}
