/**
 * Command counters and latency histograms for /metrics, kept in process (each instance reports its own;
 * Prometheus sums across instances). The core records every command it runs here.
 */

/** Latency buckets in seconds: /read is sub-millisecond to a few ms; store-bound commands reach 100s of ms. */
export const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

interface Histogram {
  counts: number[];
  sum: number;
  count: number;
}

export class CommandMetrics {
  private readonly counts = new Map<string, number>();
  private readonly latency = new Map<string, Histogram>();
  readonly startedAt = Date.now();

  /** One command finished: `status` is the reply status (ok/error) or "failed" for a thrown error. */
  observe(command: string, status: string, ms: number): void {
    const key = `${command}\u0000${status}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    let h = this.latency.get(command);
    if (!h) {
      h = { counts: new Array<number>(LATENCY_BUCKETS.length).fill(0), sum: 0, count: 0 };
      this.latency.set(command, h);
    }
    const s = ms / 1000;
    for (let i = 0; i < LATENCY_BUCKETS.length; i++) if (s <= LATENCY_BUCKETS[i]!) h.counts[i]!++;
    h.sum += s;
    h.count++;
  }

  /** Commands run so far with this name and status. */
  count(command: string, status: string): number {
    return this.counts.get(`${command}\u0000${status}`) ?? 0;
  }

  /** Prometheus text exposition format (0.0.4) for the command metrics. */
  render(): string {
    const out: string[] = [];
    out.push('# HELP qr_commands_total Commands handled, by command and reply status.');
    out.push('# TYPE qr_commands_total counter');
    for (const [key, n] of [...this.counts].sort()) {
      const [command, status] = key.split('\u0000') as [string, string];
      out.push(`qr_commands_total{command="${label(command)}",status="${label(status)}"} ${n}`);
    }
    out.push('# HELP qr_command_duration_seconds Time from command received to reply ready.');
    out.push('# TYPE qr_command_duration_seconds histogram');
    for (const [command, h] of [...this.latency].sort((a, b) => a[0].localeCompare(b[0]))) {
      const c = label(command);
      LATENCY_BUCKETS.forEach((b, i) =>
        out.push(`qr_command_duration_seconds_bucket{command="${c}",le="${b}"} ${h.counts[i]}`),
      );
      out.push(`qr_command_duration_seconds_bucket{command="${c}",le="+Inf"} ${h.count}`);
      out.push(`qr_command_duration_seconds_sum{command="${c}"} ${round(h.sum)}`);
      out.push(`qr_command_duration_seconds_count{command="${c}"} ${h.count}`);
    }
    return `${out.join('\n')}\n`;
  }
}

/** Process basics in the same format: memory, CPU, uptime, event-loop lag is left to a profiler. */
export function processMetrics(startedAt: number): string {
  const m = process.memoryUsage();
  const cpu = process.cpuUsage();
  const lines = [
    '# HELP process_resident_memory_bytes Resident memory size in bytes.',
    '# TYPE process_resident_memory_bytes gauge',
    `process_resident_memory_bytes ${m.rss}`,
    '# HELP nodejs_heap_used_bytes V8 heap in use.',
    '# TYPE nodejs_heap_used_bytes gauge',
    `nodejs_heap_used_bytes ${m.heapUsed}`,
    '# HELP nodejs_heap_total_bytes V8 heap reserved.',
    '# TYPE nodejs_heap_total_bytes gauge',
    `nodejs_heap_total_bytes ${m.heapTotal}`,
    '# HELP process_cpu_seconds_total User and system CPU time spent.',
    '# TYPE process_cpu_seconds_total counter',
    `process_cpu_seconds_total ${round((cpu.user + cpu.system) / 1e6)}`,
    '# HELP process_start_time_seconds Start time of the process since the Unix epoch.',
    '# TYPE process_start_time_seconds gauge',
    `process_start_time_seconds ${Math.floor(startedAt / 1000)}`,
    '# HELP qr_uptime_seconds Seconds since the core started.',
    '# TYPE qr_uptime_seconds gauge',
    `qr_uptime_seconds ${round((Date.now() - startedAt) / 1000)}`,
  ];
  return `${lines.join('\n')}\n`;
}

const round = (x: number) => Math.round(x * 1e6) / 1e6;
/** Escape a label value (backslash, quote, newline) per the exposition format. */
const label = (s: string) => s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
