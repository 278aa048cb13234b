import client from 'prom-client';

// Prometheus metrics (GET /metrics). Two kinds:
//  - event counters and histograms kept in this process (dial steps, webhook handling time,
//    HubSpot 429s, HTTP requests), recorded through the small functions below so callers never
//    touch prom-client;
//  - gauges read from shared state at scrape time (queue depths, live calls against their caps,
//    dials in the last minute, outbox lag: metrics-collectors.ts), so they are right whichever
//    process did the work.
// Label values are checked against a short pattern so no caller can blow up the series count.

export const metricsRegistry = new client.Registry();

const LABEL_RE = /^[A-Za-z0-9_.:-]{1,60}$/;
const label = (v: string | number | undefined): string => {
  const s = String(v ?? 'none');
  return LABEL_RE.test(s) ? s : 'other';
};

const dialSteps = new client.Counter({
  name: 'hac_dial_steps_total',
  help: 'Dial-attempt job runs by result (placed, check_dnc, capacity_*, provider_429, ...).',
  labelNames: ['result'],
  registers: [metricsRegistry],
});

const webhookSeconds = new client.Histogram({
  name: 'hac_webhook_duration_seconds',
  help: 'Time to answer a provider webhook, by provider, message type and HTTP status.',
  labelNames: ['provider', 'type', 'status'],
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [metricsRegistry],
});

const hubspotRateLimited = new client.Counter({
  name: 'hac_hubspot_rate_limited_total',
  help: 'HubSpot answers of 429 Too Many Requests seen by this process.',
  registers: [metricsRegistry],
});

const httpSeconds = new client.Histogram({
  name: 'hac_http_request_duration_seconds',
  help: 'HTTP requests served, by method, route pattern and status class.',
  labelNames: ['method', 'route', 'status'],
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  registers: [metricsRegistry],
});

let defaultsOn = false;
/** Process metrics (CPU, memory, event-loop lag, GC) under the hac_ prefix; safe to call twice. */
export function enableDefaultMetrics(): void {
  if (defaultsOn) return;
  defaultsOn = true;
  client.collectDefaultMetrics({ register: metricsRegistry, prefix: 'hac_' });
}

/** One run of a dial.attempt job ended with this result. */
export function recordDialStep(result: string): void {
  dialSteps.inc({ result: label(result) });
}

/** A provider webhook was answered after `seconds`. */
export function recordWebhook(provider: string, type: string, status: number, seconds: number): void {
  webhookSeconds.observe({ provider: label(provider), type: label(type), status: String(status) }, seconds);
}

/** HubSpot answered 429 (the caller also pauses the portal's limiter). */
export function recordHubSpotRateLimited(): void {
  hubspotRateLimited.inc();
}

export function recordHttpRequest(method: string, route: string, status: number, seconds: number): void {
  httpSeconds.observe({ method: label(method.toUpperCase()), route: route.length <= 120 ? route : 'other', status: `${Math.floor(status / 100)}xx` }, seconds);
}

/** Fills a registry with gauges for one scrape; see metrics-collectors.ts. */
export type ScrapeCollector = (registry: client.Registry) => Promise<void>;

/** The exposition text: this process's counters plus the gauges one scrape collects. */
export async function renderMetrics(collect?: ScrapeCollector): Promise<{ contentType: string; body: string }> {
  const scrape = new client.Registry();
  if (collect) await collect(scrape);
  const merged = client.Registry.merge([metricsRegistry, scrape]);
  return { contentType: metricsRegistry.contentType, body: await merged.metrics() };
}

/** Current value of a counter of this process, for tests and the demo summary. */
export async function readCounter(name: 'hac_dial_steps_total' | 'hac_hubspot_rate_limited_total'): Promise<Array<{ labels: Record<string, string | number>; value: number }>> {
  const metric = metricsRegistry.getSingleMetric(name);
  if (!metric) return [];
  const data = await metric.get();
  return data.values.map((v) => ({ labels: v.labels as Record<string, string | number>, value: v.value }));
}
