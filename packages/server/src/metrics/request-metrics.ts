import { Counter, Histogram, type Registry } from "prom-client";

/** Seconds; long-polls (`?wait=`) reach the upper buckets on purpose. */
const LATENCY_BUCKETS = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60,
] as const;

type RequestLabels = { method: string; route: string; status_code: string };

/** One label set's figures, kept as plain numbers. */
type Series = {
  labels: RequestLabels;
  count: number;
  sum: number;
  /** Answers per bucket (not cumulative): `buckets[i]` took at most `LATENCY_BUCKETS[i]`. */
  buckets: number[];
};

type HistogramValues = Awaited<ReturnType<Histogram["get"]>>;
/** One line of the exposition as prom-client's registry takes it: the series' labels apart. */
type ExpositionValue = {
  metricName: string;
  labels: { le?: number | string };
  sharedLabels: RequestLabels;
  value: number;
};

const LATENCY_NAME = "ass_http_request_duration_seconds";
const LATENCY_HELP =
  "Time to answer an HTTP request, in seconds, by method, route template and status code";

/**
 * A histogram whose figures live in the series map: prom-client hashes and validates the labels
 * on every `observe` (about 3 µs a request on a busy two-core machine, measured: a tenth and more
 * of what a bare Fastify route costs), so each answer adds to plain numbers and the exposition is
 * built from them when `/metrics` is scraped, in the shape prom-client's own histogram gives.
 */
class SeriesHistogram extends Histogram<keyof RequestLabels> {
  constructor(
    registry: Registry,
    private readonly series: readonly Series[],
  ) {
    super({
      name: LATENCY_NAME,
      help: LATENCY_HELP,
      labelNames: ["method", "route", "status_code"],
      buckets: [...LATENCY_BUCKETS],
      registers: [registry],
    });
  }

  /** What the registry writes as text (it prefers this method to `get`). */
  async getForPromString() {
    const values: ExpositionValue[] = [];
    for (const { labels, count, sum, buckets } of this.series) {
      let cumulative = 0;
      LATENCY_BUCKETS.forEach((bound, index) => {
        cumulative += buckets[index] ?? 0;
        values.push({
          metricName: `${LATENCY_NAME}_bucket`,
          labels: { le: bound },
          sharedLabels: labels,
          value: cumulative,
        });
      });
      values.push(
        {
          metricName: `${LATENCY_NAME}_bucket`,
          labels: { le: "+Inf" },
          sharedLabels: labels,
          value: count,
        },
        { metricName: `${LATENCY_NAME}_sum`, labels: {}, sharedLabels: labels, value: sum },
        { metricName: `${LATENCY_NAME}_count`, labels: {}, sharedLabels: labels, value: count },
      );
    }
    return { name: LATENCY_NAME, help: LATENCY_HELP, type: "histogram", aggregator: "sum", values };
  }

  /** The same figures as JSON (`registry.getMetricsAsJSON()`), each value's labels merged. */
  override async get(): Promise<HistogramValues> {
    const exposition = await this.getForPromString();
    return {
      ...exposition,
      values: exposition.values.map(({ metricName, labels, sharedLabels, value }) => ({
        metricName,
        labels: { ...labels, ...sharedLabels },
        value,
      })),
      // prom-client's type asks for a `collect` that its own histogram's `get` never returns.
    } as unknown as HistogramValues;
  }
}

/**
 * `ass_http_requests_total` and `ass_http_request_duration_seconds` by method, route template and
 * status code, in `registry`. `observe` is called once per answer and costs a map lookup and a
 * few additions; the figures reach prom-client only when it is scraped.
 */
export class RequestMetrics {
  private readonly series: Series[] = [];
  /** Route template → method → status code → series: lookups without building a key string. */
  private readonly byRoute = new Map<string, Map<string, Map<number, Series>>>();

  constructor(registry: Registry) {
    const series = this.series;
    new Counter({
      name: "ass_http_requests_total",
      help: "HTTP requests answered, by method, route template and status code",
      labelNames: ["method", "route", "status_code"] as const,
      registers: [registry],
      collect() {
        this.reset();
        for (const { labels, count } of series) this.inc(labels, count);
      },
    });
    new SeriesHistogram(registry, series);
  }

  /** Counts an answer that took `seconds`; `route` is a template, never a URL. */
  observe(method: string, route: string, statusCode: number, seconds: number): void {
    let byMethod = this.byRoute.get(route);
    if (byMethod === undefined) {
      byMethod = new Map();
      this.byRoute.set(route, byMethod);
    }
    let byStatus = byMethod.get(method);
    if (byStatus === undefined) {
      byStatus = new Map();
      byMethod.set(method, byStatus);
    }
    let series = byStatus.get(statusCode);
    if (series === undefined) {
      series = {
        labels: { method, route, status_code: String(statusCode) },
        count: 0,
        sum: 0,
        buckets: LATENCY_BUCKETS.map(() => 0),
      };
      byStatus.set(statusCode, series);
      this.series.push(series);
    }
    series.count += 1;
    series.sum += seconds;
    for (let index = 0; index < LATENCY_BUCKETS.length; index++) {
      if (seconds <= (LATENCY_BUCKETS[index] as number)) {
        series.buckets[index] = (series.buckets[index] ?? 0) + 1;
        return;
      }
    }
  }
}
