import * as calendars from './calendars.js';
import type { ApiCall, KakaoCaller } from './caller.js';
import type { CustomerFieldType, CustomerFileUser, CustomerUserType } from './channel-types.js';
import * as customerFiles from './customer-files.js';
import { KakaoAppKeyMissingError, KakaoTokenError } from './errors.js';
import * as events from './events.js';
import * as holidays from './holidays.js';
import { type BeforeRequest, type KakaoRequest, KakaoTransport } from './http.js';
import * as oauth from './oauth.js';
import * as publicEvents from './public-events.js';
import { type CallListener, KakaoCallStats } from './stats.js';
import * as subscriptions from './subscriptions.js';
import * as talkChannel from './talk-channel.js';
import * as tasks from './tasks.js';
import { type TokenStore, UserTokenSession, type UserTokens } from './tokens.js';
import type { CalendarCreate, CalendarFilter, CalendarUpdate, OAuthTokenResponse } from './types.js';

// The facade the daemon uses: `client.forUser(userId, store)` for user-token endpoints,
// `client.admin` for admin-key endpoints, `client.channel` for the Talk Channel API (admin key and
// REST API key), `client.oauth` for the grants, `client.stats` for counts.

export type { TokenStore, UserTokens } from './tokens.js';

export interface KakaoClientConfig {
  apiBaseUrl: string;
  authBaseUrl: string;
  restApiKey: string;
  clientSecret: string;
  adminKey: string;
  timeoutMs: number;
  retry: { maxAttempts: number; baseDelayMs: number; maxDelayMs: number };
  tokenRefreshMarginSeconds: number;
}

export interface KakaoClientOptions {
  fetch?: typeof fetch;
  onCall?: CallListener;
  /** Awaited before every API-host request (each attempt, page and repeat): quota accounting. */
  beforeRequest?: BeforeRequest;
  /** Clock (epoch ms), for tests. */
  now?: () => number;
  /** Backoff sleep, for tests. */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** Answers larger than this are refused unread (default 32 MiB). */
  maxResponseBytes?: number;
}

export class KakaoClient {
  readonly stats = new KakaoCallStats();
  readonly admin: KakaoAdminClient;
  readonly channel: KakaoChannelClient;
  readonly oauth: KakaoOAuthClient;
  private readonly transport: KakaoTransport;
  private readonly now: () => number;
  private readonly refreshes = new Map<string, Promise<UserTokens>>();

  constructor(
    private readonly config: KakaoClientConfig,
    options: KakaoClientOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.transport = new KakaoTransport({
      apiBaseUrl: config.apiBaseUrl,
      authBaseUrl: config.authBaseUrl,
      timeoutMs: config.timeoutMs,
      retry: config.retry,
      fetch: options.fetch,
      stats: this.stats,
      onCall: options.onCall,
      beforeRequest: options.beforeRequest,
      now: this.now,
      sleep: options.sleep,
      random: options.random,
      maxResponseBytes: options.maxResponseBytes,
    });
    this.oauth = new KakaoOAuthClient(this.transport, config);
    const adminCaller = new AppKeyCaller(this.transport, config.adminKey, 'adminKey');
    this.admin = new KakaoAdminClient(adminCaller);
    this.channel = new KakaoChannelClient(
      adminCaller,
      new AppKeyCaller(this.transport, config.restApiKey, 'restApiKey'),
    );
  }

  forUser(userId: string, store: TokenStore): KakaoUserClient {
    const session = new UserTokenSession(
      userId,
      store,
      (refreshToken) => this.oauth.refresh(refreshToken),
      this.config.tokenRefreshMarginSeconds * 1000,
      this.now,
      this.refreshes,
    );
    return new KakaoUserClient(new UserCaller(this.transport, session));
  }
}

export class KakaoOAuthClient {
  constructor(
    private readonly transport: KakaoTransport,
    private readonly app: oauth.OAuthAppCredentials,
  ) {}

  /** Refresh-token grant. A refused grant (invalid_grant) throws KakaoTokenError. */
  refresh(refreshToken: string): Promise<OAuthTokenResponse> {
    return oauth.refreshAccessToken(this.transport, this.app, refreshToken);
  }

  /** Authorization-code grant (the connect flow's callback). */
  exchangeCode(input: { code: string; redirectUri: string }): Promise<OAuthTokenResponse> {
    return oauth.exchangeAuthorizationCode(this.transport, this.app, input);
  }
}

/** Calls with `Authorization: Bearer`; one refresh and one retry on -401. */
class UserCaller implements KakaoCaller {
  constructor(
    private readonly transport: KakaoTransport,
    private readonly session: UserTokenSession,
  ) {}

  get apiBaseUrl(): string {
    return this.transport.apiBaseUrl;
  }

  async call<T>(req: ApiCall): Promise<T> {
    const token = await this.session.accessToken();
    try {
      return await this.transport.send<T>({ ...this.request(req, token), repeatsAfterTokenRefresh: true });
    } catch (error) {
      if (!(error instanceof KakaoTokenError) || error.code !== -401) throw error;
      const fresh = await this.session.replaceRejected(token);
      try {
        return await this.transport.send<T>({ ...this.request(req, fresh), afterTokenRefresh: true });
      } catch (again) {
        if (again instanceof KakaoTokenError && again.code === -401) {
          throw new KakaoTokenError(
            { status: again.status, code: -401, msg: again.msg, endpoint: again.endpoint },
            `${again.endpoint}: access token rejected even after a refresh; the user must reconnect`,
            { cause: again },
          );
        }
        throw again;
      }
    }
  }

  private request(req: ApiCall, token: string): KakaoRequest {
    return { ...req, host: 'api', credential: 'user', authorization: `Bearer ${token}` };
  }
}

/** Calls with `Authorization: KakaoAK <key>`: the admin key, or the REST API key (customer files). */
class AppKeyCaller implements KakaoCaller {
  constructor(
    private readonly transport: KakaoTransport,
    private readonly key: string,
    private readonly keyName: 'adminKey' | 'restApiKey',
  ) {}

  get apiBaseUrl(): string {
    return this.transport.apiBaseUrl;
  }

  async call<T>(req: ApiCall): Promise<T> {
    if (this.key === '') throw new KakaoAppKeyMissingError(req.endpoint, this.keyName);
    return this.transport.send<T>({
      ...req,
      host: 'api',
      credential: 'admin',
      authorization: `KakaoAK ${this.key}`,
    });
  }
}

/** Every user-token endpoint of the Talk Calendar API, for one user. */
export class KakaoUserClient {
  constructor(private readonly caller: KakaoCaller) {}

  listCalendars(filter?: CalendarFilter | CalendarFilter[]) {
    return calendars.listCalendars(this.caller, filter);
  }
  createCalendar(calendar: CalendarCreate) {
    return calendars.createCalendar(this.caller, calendar);
  }
  updateCalendar(input: { calendarId: string } & CalendarUpdate) {
    return calendars.updateCalendar(this.caller, input);
  }
  deleteCalendar(calendarId: string) {
    return calendars.deleteCalendar(this.caller, calendarId);
  }

  createEvent(input: events.CreateEventInput) {
    return events.createEvent(this.caller, input);
  }
  listEvents(input: events.ListEventsInput) {
    return events.listEvents(this.caller, input);
  }
  listEventsWindow(input: events.ListEventsInput) {
    return events.listEventsWindow(this.caller, input);
  }
  getEvent(eventId: string) {
    return events.getEvent(this.caller, eventId);
  }
  /** "Edit event for host". */
  updateEvent(input: events.UpdateEventInput) {
    return events.updateEvent(this.caller, input);
  }
  /** "Edit event for attendee" (public or subscribed events). */
  updateGuestEvent(input: events.UpdateGuestEventInput) {
    return events.updateGuestEvent(this.caller, input);
  }
  deleteEvent(input: events.DeleteEventInput) {
    return events.deleteEvent(this.caller, input);
  }

  followPublicEvent(input: { eventId: string; calendarId?: string }) {
    return publicEvents.followPublicEvent(this.caller, input);
  }
  subscribe(calendarId: string) {
    return subscriptions.subscribe(this.caller, calendarId);
  }
  /** The user's own relationship with Talk Channels (needs the `plusfriends` consent). */
  checkChannelRelations(channelIds: readonly string[]) {
    return talkChannel.checkOwnRelations(this.caller, channelIds);
  }
  unsubscribe(calendarId: string) {
    return subscriptions.unsubscribe(this.caller, calendarId);
  }

  createTask(task: Parameters<typeof tasks.createTask>[1]) {
    return tasks.createTask(this.caller, task);
  }
  listTasks(input: tasks.ListTasksInput) {
    return tasks.listTasks(this.caller, input);
  }
  listTasksWindow(input: tasks.ListTasksInput) {
    return tasks.listTasksWindow(this.caller, input);
  }
  getTask(taskId: string, timeZone?: string) {
    return tasks.getTask(this.caller, taskId, timeZone);
  }
  getTaskRecords(input: Parameters<typeof tasks.getTaskRecords>[1]) {
    return tasks.getTaskRecords(this.caller, input);
  }
  updateTask(input: Parameters<typeof tasks.updateTask>[1]) {
    return tasks.updateTask(this.caller, input);
  }
  completeTask(input: { taskId: string; complete: boolean }) {
    return tasks.completeTask(this.caller, input);
  }
  deleteTask(taskId: string) {
    return tasks.deleteTask(this.caller, taskId);
  }
}

/** Every admin-key endpoint: public events, subscribable calendars, holidays. */
export class KakaoAdminClient {
  constructor(private readonly caller: KakaoCaller) {}

  createPublicEvent(input: Parameters<typeof publicEvents.createPublicEvent>[1]) {
    return publicEvents.createPublicEvent(this.caller, input);
  }
  listPublicEvents(input: Parameters<typeof publicEvents.listPublicEvents>[1]) {
    return publicEvents.listPublicEvents(this.caller, input);
  }
  getPublicEvent(input: Parameters<typeof publicEvents.getPublicEvent>[1]) {
    return publicEvents.getPublicEvent(this.caller, input);
  }
  updatePublicEvent(input: Parameters<typeof publicEvents.updatePublicEvent>[1]) {
    return publicEvents.updatePublicEvent(this.caller, input);
  }
  deletePublicEvent(input: Parameters<typeof publicEvents.deletePublicEvent>[1]) {
    return publicEvents.deletePublicEvent(this.caller, input);
  }
  listSubscribableCalendars(filter?: { categoryName?: string; subcategoryName?: string }) {
    return subscriptions.listSubscribableCalendars(this.caller, filter);
  }
  listHolidays(input: Parameters<typeof holidays.listHolidays>[1]) {
    return holidays.listHolidays(this.caller, input);
  }
}

/** The Kakao Talk Channel API: relationship checks (admin key) and customer files (REST API key). */
export class KakaoChannelClient {
  constructor(
    private readonly admin: KakaoCaller,
    private readonly rest: KakaoCaller,
  ) {}

  /** One service user's relationship with the given channels. */
  checkUserRelations(input: { userId: string; channelIds: readonly string[] }) {
    return talkChannel.checkUserRelations(this.admin, input);
  }
  /** Any number of users, in batches of 200; users Kakao could not check are absent. */
  checkRelationsOfUsers(input: { userIds: readonly string[]; channelIds?: readonly string[] }) {
    return talkChannel.checkRelationsOfUsers(this.admin, input);
  }
  createCustomerFile(input: {
    channelPublicId: string;
    fileName: string;
    schema: Record<string, CustomerFieldType>;
  }) {
    return customerFiles.createCustomerFile(this.rest, input);
  }
  listCustomerFiles(channelPublicId: string) {
    return customerFiles.listCustomerFiles(this.rest, channelPublicId);
  }
  /** In batches of 2,000. */
  addCustomerUsers(input: {
    channelPublicId: string;
    fileId: number;
    userType: CustomerUserType;
    users: CustomerFileUser[];
  }) {
    return customerFiles.addCustomerUsers(this.rest, input);
  }
  /** In batches of 2,000. */
  deleteCustomerUsers(input: {
    channelPublicId: string;
    fileId: number;
    userType: CustomerUserType;
    userIds: string[];
  }) {
    return customerFiles.deleteCustomerUsers(this.rest, input);
  }
}
