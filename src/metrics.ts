import { createRequire } from 'node:module';
import type * as PromClient from 'prom-client';

// Every Prometheus metric of the daemon, on one registry per process. Gauges that read Redis
// (queue depth, users by state, quota) are refreshed by `collect` callbacks set by the HTTP server.

// prom-client is loaded when the first DaemonMetrics is made, not when this module is imported:
// a CLI command never makes one and starts that much sooner (see bench/cli.ts).
const promClient = (): typeof PromClient => createRequire(import.meta.url)('prom-client');

export class DaemonMetrics {
  private readonly prom = promClient();
  readonly registry = new this.prom.Registry();

  constructor() {
    // process_* and nodejs_* (CPU, memory, event-loop lag, GC): a stalled loop shows itself here.
    this.prom.collectDefaultMetrics({ register: this.registry });
  }

  readonly syncDuration = new this.prom.Histogram({
    name: 'talkcal_sync_duration_seconds',
    help: 'Duration of one user sync run',
    labelNames: ['outcome'] as const,
    buckets: [0.1, 0.5, 1, 2, 5, 10, 30, 60, 120, 300],
    registers: [this.registry],
  });
  readonly operations = new this.prom.Counter({
    name: 'talkcal_sync_operations_total',
    help: 'Items created, updated or deleted by sync runs, per side',
    labelNames: ['kind', 'side'] as const,
    registers: [this.registry],
  });
  readonly kakaoCalls = new this.prom.Counter({
    name: 'talkcal_kakao_calls_total',
    help: 'Kakao API calls by endpoint and outcome',
    labelNames: ['endpoint', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly kakaoRequests = new this.prom.Counter({
    name: 'talkcal_kakao_requests_total',
    help: 'HTTP requests that reached the Talk Calendar API, by the quota purpose they were charged to (first-sync, write, verify, detail, retry)',
    labelNames: ['purpose'] as const,
    registers: [this.registry],
  });
  readonly syncJobs = new this.prom.Counter({
    name: 'talkcal_sync_jobs_total',
    help: 'Sync jobs finished by outcome (completed, skipped, retried, delayed, failed)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  readonly queueDepth = new this.prom.Gauge({
    name: 'talkcal_queue_jobs',
    help: 'Sync queue jobs by state',
    labelNames: ['state'] as const,
    registers: [this.registry],
  });
  readonly queueLag = new this.prom.Gauge({
    name: 'talkcal_queue_lag_seconds',
    help: 'Age of the oldest job waiting to run',
    registers: [this.registry],
  });
  readonly usersByState = new this.prom.Gauge({
    name: 'talkcal_users',
    help: 'Registered users by state',
    labelNames: ['state'] as const,
    registers: [this.registry],
  });
  readonly quota = new this.prom.Gauge({
    name: 'talkcal_quota_calls',
    help: "Talk Calendar calls of the Korean day: used, remaining, projected (at today's pace), budget",
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });
  readonly quotaByPurpose = new this.prom.Gauge({
    name: 'talkcal_quota_calls_by_purpose',
    help: 'Talk Calendar calls of the Korean day by purpose',
    labelNames: ['purpose'] as const,
    registers: [this.registry],
  });
  readonly linkLastSuccess = new this.prom.Gauge({
    name: 'talkcal_link_last_success_timestamp_seconds',
    help: 'When each link last synced without error (Unix time); alert on time() minus this',
    labelNames: ['user_id', 'link_id'] as const,
    registers: [this.registry],
  });
  readonly feedRequests = new this.prom.Counter({
    name: 'talkcal_feed_requests_total',
    help: 'Published-feed requests by HTTP status (200, 304, 404, 429)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  readonly feedRenderDuration = new this.prom.Histogram({
    name: 'talkcal_feed_render_seconds',
    help: 'Time to produce a published feed body (from the in-memory cache or rebuilt from Redis)',
    buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5],
    registers: [this.registry],
  });
}
