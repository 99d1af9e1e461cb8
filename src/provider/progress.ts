/** Reports upload progress (bytes, rate, ETA) as provider output lines, which `pulumi up` shows. */
export class UploadProgress {
  private readonly started = Date.now();
  private lastReport = Date.now();

  constructor(
    private readonly label: string,
    private readonly total: number | undefined,
    private readonly write: (line: string) => void = (line) => console.log(line),
    private readonly everyMs = progressInterval(),
  ) {}

  /** Called with the running byte count; reports at most every `everyMs`. */
  update(bytes: number): void {
    const now = Date.now();
    if (now - this.lastReport < this.everyMs) return;
    this.lastReport = now;
    this.write(this.line(bytes, now));
  }

  /** The final line, always written. */
  done(bytes: number): void {
    const seconds = Math.max((Date.now() - this.started) / 1000, 0.001);
    this.write(`${this.label}: uploaded ${formatBytes(bytes)} in ${seconds.toFixed(1)} s (${formatBytes(bytes / seconds)}/s)`);
  }

  private line(bytes: number, now: number): string {
    const seconds = Math.max((now - this.started) / 1000, 0.001);
    const rate = bytes / seconds;
    if (this.total === undefined) return `${this.label}: uploaded ${formatBytes(bytes)} (${formatBytes(rate)}/s)`;
    const percent = Math.min(100, (bytes / this.total) * 100);
    const eta = rate > 0 ? Math.max(0, (this.total - bytes) / rate) : Number.NaN;
    return `${this.label}: uploaded ${formatBytes(bytes)} of ${formatBytes(this.total)} (${percent.toFixed(0)}%), ${formatBytes(rate)}/s, ETA ${Number.isFinite(eta) ? `${Math.ceil(eta)} s` : "unknown"}`;
  }
}

/** 1536 → "1.5 KiB". */
function formatBytes(bytes: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${unit === 0 ? value.toFixed(0) : value.toFixed(1)} ${units[unit] ?? "B"}`;
}

/** Milliseconds between progress lines: `PULUMI_GLANCE_PROGRESS_INTERVAL_MS`, default 5 000. */
function progressInterval(): number {
  const value = Number(process.env["PULUMI_GLANCE_PROGRESS_INTERVAL_MS"]);
  return Number.isFinite(value) && value > 0 ? value : 5_000;
}
