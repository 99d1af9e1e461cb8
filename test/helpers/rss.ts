/** Samples the test process's resident set size while something runs, to prove data is streamed. */

export interface RssReport {
  /** RSS right before the measured work, bytes. */
  readonly before: number;
  /** Highest RSS seen during it (including one final sample), bytes. */
  readonly peak: number;
  /** `peak - before`, bytes (never negative). */
  readonly growth: number;
  readonly samples: number;
}

/** Runs `work`, sampling `process.memoryUsage.rss()` every `intervalMs`; returns its result and the RSS growth. */
export async function measureRss<T>(work: () => Promise<T>, intervalMs = 50): Promise<{ result: T; rss: RssReport }> {
  const before = process.memoryUsage.rss();
  let peak = before;
  let samples = 0;
  const sample = (): void => {
    const now = process.memoryUsage.rss();
    samples += 1;
    if (now > peak) peak = now;
  };
  const timer = setInterval(sample, intervalMs);
  try {
    const result = await work();
    sample();
    return { result, rss: { before, peak, growth: Math.max(0, peak - before), samples } };
  } finally {
    clearInterval(timer);
  }
}

export const MiB = 1024 * 1024;
