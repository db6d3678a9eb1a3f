// One autocannon run against 127.0.0.1, bounded in time, each request one sentence: closed loop
// (`connections` clients, each sending its next request when the last is answered) or open loop
// (`rate` requests/s in total). Latencies and statuses are recorded per response, so p50/p95/p99
// are exact over the run.
import autocannon from 'autocannon';

export interface LoadResult {
  seconds: number;
  /** Answered requests by status code. */
  statuses: Record<string, number>;
  /** Connection errors and timeouts (no HTTP answer). */
  errors: number;
  ok: number;
  /** 200s per second. */
  okPerSecond: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export interface LoadOptions {
  url: string;
  path: string;
  /** Request body for the i-th request. */
  body: (i: number) => string;
  connections: number;
  seconds: number;
  /** Open loop: requests per second over all connections. */
  rate?: number;
  /** Per-request client timeout, seconds. */
  timeout?: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number;
}

export async function load(o: LoadOptions): Promise<LoadResult> {
  let next = 0;
  const latencies: number[] = [];
  const okLatencies: number[] = [];
  const statuses: Record<string, number> = {};
  const started = performance.now();
  const instance = autocannon({
    url: o.url,
    connections: o.connections,
    duration: o.seconds,
    timeout: o.timeout ?? 60,
    ...(o.rate !== undefined && { overallRate: o.rate }),
    requests: [
      {
        method: 'POST',
        path: o.path,
        headers: { 'content-type': 'application/json' },
        setupRequest: (req: autocannon.Request) => ({ ...req, body: o.body(next++) }),
      },
    ],
  } as autocannon.Options) as unknown as autocannon.Instance & Promise<autocannon.Result>;
  instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
    statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
    latencies.push(responseTime);
    if (statusCode === 200) okLatencies.push(responseTime);
  });
  const result = await instance;
  const seconds = (performance.now() - started) / 1000;
  okLatencies.sort((a, b) => a - b);
  const ok = statuses['200'] ?? 0;
  return {
    seconds,
    statuses,
    errors: result.errors + result.timeouts,
    ok,
    okPerSecond: ok / seconds,
    p50: percentile(okLatencies, 50),
    p95: percentile(okLatencies, 95),
    p99: percentile(okLatencies, 99),
    max: okLatencies.at(-1) ?? Number.NaN,
  };
}
