// Counting of every HTTP attempt the client makes, per endpoint and outcome. Metrics and
// benchmarks read `KakaoCallStats` or subscribe to the `onCall` hook.

export type CallOutcome =
  /** 2xx answer. */
  | 'success'
  /** Failed attempt that the client retries (5xx, 429, -1/-7/-603/-9798, dropped connection). */
  | 'retried'
  /** Final failure handed to the caller. */
  | 'failed';

export interface CallRecord {
  endpoint: string;
  method: string;
  /** 0 when no HTTP answer was received. */
  status: number;
  code: number | undefined;
  outcome: CallOutcome;
  durationMs: number;
  /** 1 for the first try. */
  attempt: number;
  /** True for API-host calls, which draw on the Talk Calendar daily quota (OAuth calls do not). */
  countsAgainstQuota: boolean;
  /** What the request was charged as, when a `beforeRequest` hook said (e.g. a quota purpose). */
  purpose?: string;
}

export type CallListener = (record: CallRecord) => void;

export class KakaoCallStats {
  /** endpoint → outcome → attempts. */
  readonly byEndpoint = new Map<string, Record<CallOutcome, number>>();
  /** Attempts sent to the API host (they draw on the daily Talk Calendar quota). */
  quotaCalls = 0;
  totalCalls = 0;

  record(call: CallRecord): void {
    this.totalCalls++;
    if (call.countsAgainstQuota) this.quotaCalls++;
    let counts = this.byEndpoint.get(call.endpoint);
    if (!counts) {
      counts = { success: 0, retried: 0, failed: 0 };
      this.byEndpoint.set(call.endpoint, counts);
    }
    counts[call.outcome]++;
  }

  /** Plain-object copy, e.g. for printing. */
  snapshot(): {
    quotaCalls: number;
    totalCalls: number;
    byEndpoint: Record<string, Record<CallOutcome, number>>;
  } {
    return {
      quotaCalls: this.quotaCalls,
      totalCalls: this.totalCalls,
      byEndpoint: Object.fromEntries([...this.byEndpoint].map(([k, v]) => [k, { ...v }])),
    };
  }

  reset(): void {
    this.byEndpoint.clear();
    this.quotaCalls = 0;
    this.totalCalls = 0;
  }
}
