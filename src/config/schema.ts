import { z } from 'zod';

// The one description of every configuration key. config/default.yaml documents the same keys;
// a test checks that the two agree.

const url = z.url();
const ianaZone = z.string().refine((zone) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}, 'an IANA time zone such as Asia/Seoul');

const retry = z.strictObject({
  maxAttempts: z.number().int().min(1).max(10),
  baseDelayMs: z.number().int().min(0),
  maxDelayMs: z.number().int().min(0),
});

export const configSchema = z.strictObject({
  log: z.strictObject({
    level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
    repeatedErrorEverySeconds: z.number().int().min(1),
  }),
  redis: z.strictObject({
    url: z.string().regex(/^rediss?:\/\//, 'a redis:// or rediss:// URL'),
    sentinels: z.array(z.strictObject({ host: z.string(), port: z.number().int() })),
    sentinelName: z.string(),
    clusterNodes: z.array(z.string().regex(/^[^:]+:\d+$/, 'host:port')),
    keyPrefix: z
      .string()
      .min(1)
      .regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, _ or -'),
    connectTimeoutMs: z.number().int().min(100),
  }),
  kakao: z.strictObject({
    apiBaseUrl: url,
    authBaseUrl: url,
    restApiKey: z.string(),
    clientSecret: z.string(),
    adminKey: z.string(),
    redirectUri: url,
    timeoutMs: z.number().int().min(100),
    retry,
    tokenRefreshMarginSeconds: z.number().int().min(0),
  }),
  quota: z.strictObject({
    dailyBudget: z.number().int().min(1),
    perSecond: z.number().int().min(1),
    writeReserve: z.number().min(0).max(1),
  }),
  sync: z.strictObject({
    intervalMinutes: z.number().int().min(1),
    jitterSeconds: z.number().int().min(0),
    horizonPastDays: z.number().int().min(0).max(3650),
    horizonFutureDays: z.number().int().min(1).max(3650),
    massDeleteShare: z.number().min(0).max(1),
    massDeleteMinItems: z.number().int().min(0),
    detailBudgetPerRun: z.number().int().min(0),
    oneWayDetailReadsPerDay: z.number().min(0),
    writeConcurrency: z.number().int().min(1).max(32),
    verifyNearDays: z.number().int().min(1),
    verifyNearEveryHours: z.number().min(0.25),
    verifyFarEveryHours: z.number().min(0.25),
    twoWayReadEveryMinutes: z.number().int().min(1),
    taskRecordsEveryHours: z.number().min(1),
    lockTtlMs: z.number().int().min(1000),
    defaultTimeZone: ianaZone,
  }),
  worker: z.strictObject({
    concurrency: z.number().int().min(1).max(500),
    admissionConcurrency: z.number().int().min(1).max(500),
    manualConcurrency: z.number().int().min(1).max(500),
    shutdownGraceMs: z.number().int().min(0),
  }),
  http: z.strictObject({
    host: z.string(),
    port: z.number().int().min(0).max(65535),
    adminToken: z.string(),
    publicBaseUrl: url,
    metricsPort: z.number().int().min(0).max(65535).nullable(),
    metricsToken: z.string(),
    metricsRefreshSeconds: z.number().min(0.1).max(3600),
    feedTokenFailuresPerMinute: z.number().int().min(1),
    trustProxy: z.union([z.boolean(), z.string(), z.array(z.string())]),
  }),
  sources: z
    .strictObject({
      allowHosts: z.array(z.string()),
      ics: z.strictObject({
        timeoutMs: z.number().int().min(100),
        maxBytes: z.number().int().min(1024),
        maxRedirects: z.number().int().min(0).max(20),
        /** Deprecated: the ICS-only name of sources.allowHosts, still read and added to it. */
        allowHosts: z.array(z.string()).optional(),
        userAgent: z.string(),
      }),
      caldav: z.strictObject({
        timeoutMs: z.number().int().min(100),
        maxRedirects: z.number().int().min(0).max(20),
      }),
    })
    .transform(({ ics: { allowHosts: icsOnly, ...ics }, ...sources }) => ({
      ...sources,
      allowHosts: [...sources.allowHosts, ...(icsOnly ?? [])],
      ics,
    })),
  limits: z.strictObject({
    maxItemsPerSource: z.number().int().min(1),
    maxTimezonesPerSource: z.number().int().min(1),
    maxOverridesPerSeries: z.number().int().min(1),
    maxOccurrencesPerEvent: z.number().int().min(1),
    maxRuleIterations: z.number().int().min(1000),
    maxPropertyChars: z.number().int().min(1000),
    translateTimeoutMs: z.number().int().min(100),
    translateMemoryMb: z.number().int().min(32),
    translateThreads: z.number().int().min(1).max(64),
    backoffBaseMinutes: z.number().min(0.1),
    backoffMaxHours: z.number().min(0.1),
    listPageSize: z.number().int().min(1),
    maxListPageSize: z.number().int().min(1),
  }),
  publish: z.strictObject({
    refreshIntervalMinutes: z.number().int().min(1),
    otherAppEvents: z.enum(['busy', 'hide']),
    includeHolidays: z.boolean(),
    subscribedRefreshHours: z.number().min(1),
  }),
  channels: z.strictObject({
    relationRecheckHours: z.number().min(0.25),
    maxFollowersPerLink: z.number().int().min(0).max(10_000),
  }),
  security: z.strictObject({
    secretKeys: z.string(),
    activeKeyId: z.string(),
  }),
  emulator: z.strictObject({
    host: z.string(),
    port: z.number().int().min(0).max(65535),
    accessTokenLifetimeSeconds: z.number().int().min(1),
    quotaEnabled: z.boolean(),
    dailyQuota: z.number().int().min(1),
  }),
});

export type Config = z.infer<typeof configSchema>;
