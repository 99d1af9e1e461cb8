// Median and range of repeated measurements, and how they are printed.

/** { median, min, max, n } of numbers (NaN-free). */
export function summarize(values) {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return { median: NaN, min: NaN, max: NaN, n: 0 };
  const mid = Math.floor(v.length / 2);
  const median = v.length % 2 === 1 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
  return { median, min: v[0], max: v[v.length - 1], n: v.length };
}

/** "4.21 (3.90–4.80)" with `digits` decimals. */
export function fmt(values, digits = 2, scale = 1) {
  const s = summarize(values.map((x) => x * scale));
  if (s.n === 0) return "–";
  return `${s.median.toFixed(digits)} (${s.min.toFixed(digits)}–${s.max.toFixed(digits)})`;
}

/** Element-wise ratio a[i]/b[i] of two equally long series (run i of each was taken back to back). */
export function ratios(a, b) {
  return a.map((x, i) => x / b[i]);
}

export const MiB = 1024 * 1024;
export const GiB = 1024 * MiB;

/** "64M" / "1G" / "4G" → bytes. */
export function parseSize(text) {
  const m = /^(\d+)([KMG])$/i.exec(text.trim());
  if (!m) throw new Error(`size "${text}" is not like 64M, 1G, 4G`);
  return Number(m[1]) * { K: 1024, M: MiB, G: GiB }[m[2].toUpperCase()];
}

/** bytes → "64 MiB" / "1 GiB". */
export function sizeLabel(bytes) {
  return bytes >= GiB ? `${bytes / GiB} GiB` : bytes >= MiB ? `${bytes / MiB} MiB` : `${bytes / 1024} KiB`;
}
