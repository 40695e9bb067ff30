import { createHistogram, performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import autocannon from 'autocannon';
import { CATEGORY_IDS } from '../functions/domain/categories';
import { REPORT_CHANNELS, type CreateCaseBody } from '../functions/domain/case';

/*
 * The load generator of bench/load.ts, run in a worker thread so that it has its own event
 * loop and does not share one with the local stack it measures. Every request is a new case:
 * its body and Idempotency-Key follow from a run tag and a sequence number alone, so the main
 * thread can send the very same request again (same key, same body) to check what it did.
 */
const TITLES = ['楼道堆放杂物', '噪音扰民', '拖欠工资', '路灯损坏', '污水外排', '邻里纠纷', '占道经营', '物业费争议'];

export interface LoadRequest {
  readonly unitIndex: number;
  readonly key: string;
  readonly body: CreateCaseBody;
}

/** The n-th request of a run: communities, categories and channels vary; the key names the request. */
export function requestFor(tag: string, n: number, units: number): LoadRequest {
  const key = `load-${tag}-${n}`;
  const unitIndex = n % units;
  const category = CATEGORY_IDS[Math.floor(n / units) % CATEGORY_IDS.length];
  const body: CreateCaseBody = {
    title: TITLES[n % TITLES.length],
    // The key in the text: a duplicated request would show as two cases with the same description.
    description: `负载测试 ${key}：居民反映问题，请及时处理。`,
    category,
    reportedVia: REPORT_CHANNELS[n % REPORT_CHANNELS.length],
    ...(n % 2 === 0 ? { complainant: { name: '张明', phone: '13800138000' } } : {}),
  };
  return { unitIndex, key, body };
}

export interface LoadClientInput {
  readonly role: 'load-client';
  readonly url: string;
  /** Bearer tokens, one per community, in the order requestFor's unitIndex counts. */
  readonly tokens: readonly string[];
  readonly tag: string;
  readonly connections: number;
  readonly seconds: number;
  /** A fixed number of requests instead of a duration (seconds is then ignored). */
  readonly amount?: number;
}

export interface LoadClientOutput {
  readonly connections: number;
  readonly durationSeconds: number;
  /** Requests written to a connection (sequence numbers 0 … sent-1; the last few may never have left). */
  readonly sent: number;
  /** Every answer: sequence number, status, case id (from Location) for 2xx. */
  readonly answers: Array<[n: number, status: number, id: string | null]>;
  /** Milliseconds. */
  readonly latency: { p50: number; p90: number; p99: number; max: number; mean: number };
  /** Answers in each whole second of the run. */
  readonly requestsPerSecond: { mean: number; stddev: number; min: number; max: number };
  readonly statusCodes: Record<string, number>;
  readonly non2xx: number;
  readonly errors: number;
  readonly timeouts: number;
  /** Share of the worker's wall time its event loop was busy: near 1 means the generator itself limits. */
  readonly clientEventLoopUtilization: number;
  /** CPU of the load generator's thread, in cores. */
  readonly clientCpu: number;
}

/** What autocannon returns in a worker thread: its raw counts (it aggregates histograms only on the main thread). */
interface RawResult {
  readonly duration: number;
  readonly errors: number;
  readonly timeouts: number;
  readonly non2xx: number;
  readonly statusCodeStats?: Record<string, { count?: number }>;
}

async function run(input: LoadClientInput): Promise<LoadClientOutput> {
  const { url, tokens, tag, connections, seconds, amount } = input;
  let next = 0;
  const answers: LoadClientOutput['answers'] = [];
  type Context = { n?: number };
  // Latency of every answer as autocannon measures it (ms), and answers per whole second.
  const latency = createHistogram();
  const perSecond: number[] = [];
  let thisSecond = 0;
  const eluStart = performance.eventLoopUtilization();
  const cpuStart = typeof process.threadCpuUsage === 'function' ? process.threadCpuUsage() : undefined;
  const result = await new Promise<RawResult>((resolve, reject) => {
    const instance = autocannon(
      {
        url,
        connections,
        ...(amount ? { amount } : { duration: seconds }),
        pipelining: 1,
        timeout: 30,
        requests: [
          {
            method: 'POST',
            path: '/v1/cases',
            setupRequest: (request, context) => {
              const n = next++;
              (context as Context).n = n;
              const { unitIndex, key, body } = requestFor(tag, n, tokens.length);
              return {
                ...request,
                headers: {
                  authorization: `Bearer ${tokens[unitIndex]}`,
                  'content-type': 'application/json',
                  'idempotency-key': key,
                },
                body: JSON.stringify(body),
              };
            },
            // Called before the connection's next request is built (pipelining 1), so the context is this request's.
            onResponse: (status, _body, context, headers) => {
              const n = (context as Context).n ?? -1;
              const location = (headers as Record<string, string | undefined>).location;
              answers.push([n, status, status < 300 && location ? location.slice(location.lastIndexOf('/') + 1) : null]);
            },
          },
        ],
      },
      (error: unknown, raw: unknown) => (error ? reject(error) : resolve(raw as RawResult)),
    );
    const sampler = setInterval(() => {
      perSecond.push(thisSecond);
      thisSecond = 0;
    }, 1000);
    instance.on('response', (_client: unknown, _status: number, _bytes: number, ms: number) => {
      latency.record(Math.max(1, Math.round(ms * 1000)));
      thisSecond += 1;
    });
    instance.on('done', () => clearInterval(sampler));
  });
  const elu = performance.eventLoopUtilization(eluStart);
  const cpu = cpuStart && process.threadCpuUsage(cpuStart);
  const ms = (us: number) => Math.round(us / 100) / 10;
  const mean = perSecond.reduce((a, b) => a + b, 0) / Math.max(1, perSecond.length);
  return {
    connections,
    durationSeconds: result.duration,
    sent: next,
    answers,
    latency: {
      p50: ms(latency.percentile(50)),
      p90: ms(latency.percentile(90)),
      p99: ms(latency.percentile(99)),
      max: ms(latency.max),
      mean: ms(latency.mean),
    },
    requestsPerSecond: {
      mean,
      stddev: Math.sqrt(perSecond.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, perSecond.length)),
      min: perSecond.length ? Math.min(...perSecond) : 0,
      max: perSecond.length ? Math.max(...perSecond) : 0,
    },
    statusCodes: Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([code, { count }]) => [code, count ?? 0])),
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    clientEventLoopUtilization: elu.utilization,
    clientCpu: cpu ? (cpu.user + cpu.system) / 1e6 / result.duration : NaN,
  };
}

const input = workerData as LoadClientInput | undefined;
if (parentPort && input?.role === 'load-client') {
  const port = parentPort;
  run(input).then(
    (output) => port.postMessage({ ok: true, output }),
    (error: Error) => port.postMessage({ ok: false, error: error.stack ?? String(error) }),
  );
}
