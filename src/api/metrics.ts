/**
 * A small Prometheus registry (text exposition format 0.0.4): counters, gauges and histograms with
 * labels. No external library; the app feeds exchange calls through `PlatformMetrics`
 * (src/api/metrics-feed.ts), the API its own HTTP latency and what the store's events say.
 *
 * Invariants:
 * - A metric name is registered once (a second registration with the same name and type returns
 *   the same metric; another type throws). Label values are escaped (`\\`, `"`, newline).
 * - Series are kept in Maps keyed by their label values; output is sorted by name, then series.
 * - Histograms are cumulative (`_bucket{le}` … `+Inf`, `_sum`, `_count`).
 */

type Labels = Record<string, string>;

const escapeLabel = (v: string) => v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
const formatNumber = (n: number) =>
  Number.isNaN(n) ? "NaN" : n === Number.POSITIVE_INFINITY ? "+Inf" : n === -Infinity ? "-Inf" : String(n);

abstract class MetricBase {
  protected readonly series = new Map<string, string[]>();
  constructor(
    readonly name: string,
    readonly help: string,
    readonly type: "counter" | "gauge" | "histogram",
    readonly labelNames: readonly string[],
  ) {}

  protected key(labels: Labels): { key: string; values: string[] } {
    const values = this.labelNames.map((n) => (Object.hasOwn(labels, n) ? String(labels[n]) : ""));
    return { key: values.join("\u0000"), values };
  }

  protected labelText(values: readonly string[], extra?: [string, string]): string {
    const parts = this.labelNames.map((n, i) => `${n}="${escapeLabel(values[i] ?? "")}"`);
    if (extra) parts.push(`${extra[0]}="${escapeLabel(extra[1])}"`);
    return parts.length ? `{${parts.join(",")}}` : "";
  }

  abstract lines(): string[];
}

export class MetricCounter extends MetricBase {
  private readonly values = new Map<string, number>();
  inc(labels: Labels = {}, by = 1): void {
    const { key, values } = this.key(labels);
    this.series.set(key, values);
    this.values.set(key, (this.values.get(key) ?? 0) + by);
  }
  get(labels: Labels = {}): number {
    return this.values.get(this.key(labels).key) ?? 0;
  }
  lines(): string[] {
    return [...this.series].map(
      ([k, v]) => `${this.name}${this.labelText(v)} ${formatNumber(this.values.get(k) ?? 0)}`,
    );
  }
}

export class MetricGauge extends MetricBase {
  private readonly values = new Map<string, number>();
  set(labels: Labels, value: number): void {
    const { key, values } = this.key(labels);
    this.series.set(key, values);
    this.values.set(key, value);
  }
  /** Drops every series (before setting a fresh snapshot). */
  reset(): void {
    this.series.clear();
    this.values.clear();
  }
  lines(): string[] {
    return [...this.series].map(
      ([k, v]) => `${this.name}${this.labelText(v)} ${formatNumber(this.values.get(k) ?? 0)}`,
    );
  }
}

export const DEFAULT_LATENCY_BUCKETS_S = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

export class MetricHistogram extends MetricBase {
  private readonly data = new Map<string, { counts: number[]; sum: number; count: number }>();
  constructor(
    name: string,
    help: string,
    labelNames: readonly string[],
    readonly buckets: readonly number[],
  ) {
    super(name, help, "histogram", labelNames);
  }
  observe(labels: Labels, value: number): void {
    const { key, values } = this.key(labels);
    this.series.set(key, values);
    const d = this.data.get(key) ?? { counts: this.buckets.map(() => 0), sum: 0, count: 0 };
    this.buckets.forEach((b, i) => {
      if (value <= b) d.counts[i] = (d.counts[i] ?? 0) + 1;
    });
    d.sum += value;
    d.count += 1;
    this.data.set(key, d);
  }
  lines(): string[] {
    const out: string[] = [];
    for (const [k, v] of this.series) {
      const d = this.data.get(k);
      if (!d) continue;
      this.buckets.forEach((b, i) => {
        out.push(`${this.name}_bucket${this.labelText(v, ["le", formatNumber(b)])} ${d.counts[i] ?? 0}`);
      });
      out.push(`${this.name}_bucket${this.labelText(v, ["le", "+Inf"])} ${d.count}`);
      out.push(`${this.name}_sum${this.labelText(v)} ${formatNumber(d.sum)}`);
      out.push(`${this.name}_count${this.labelText(v)} ${d.count}`);
    }
    return out;
  }
}

export class MetricsRegistry {
  private readonly metrics = new Map<string, MetricBase>();

  private register<M extends MetricBase>(name: string, make: () => M, type: MetricBase["type"]): M {
    const existing = this.metrics.get(name);
    if (existing) {
      if (existing.type !== type) throw new Error(`metric ${name} is already a ${existing.type}`);
      return existing as M;
    }
    const m = make();
    this.metrics.set(name, m);
    return m;
  }

  counter(name: string, help: string, labelNames: readonly string[] = []): MetricCounter {
    return this.register(name, () => new MetricCounter(name, help, "counter", labelNames), "counter");
  }

  gauge(name: string, help: string, labelNames: readonly string[] = []): MetricGauge {
    return this.register(name, () => new MetricGauge(name, help, "gauge", labelNames), "gauge");
  }

  histogram(
    name: string,
    help: string,
    labelNames: readonly string[] = [],
    buckets: readonly number[] = DEFAULT_LATENCY_BUCKETS_S,
  ): MetricHistogram {
    return this.register(name, () => new MetricHistogram(name, help, labelNames, buckets), "histogram");
  }

  /** The exposition text (ends with a newline). */
  render(): string {
    const out: string[] = [];
    for (const name of [...this.metrics.keys()].sort()) {
      const m = this.metrics.get(name) as MetricBase;
      out.push(
        `# HELP ${name} ${m.help.replace(/\\/g, "\\\\").replace(/\n/g, "\\n")}`,
        `# TYPE ${name} ${m.type}`,
      );
      out.push(...m.lines());
    }
    return `${out.join("\n")}\n`;
  }
}
