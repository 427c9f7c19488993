// Formatting of run values for tables and charts: metric numbers, times, durations, bytes.

export function formatMetric(v: number | null | undefined): string {
  if (v === null || v === undefined) return "—";
  if (Number.isNaN(v)) return "NaN";
  if (!Number.isFinite(v)) return v > 0 ? "∞" : "−∞";
  if (Number.isInteger(v)) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-4 || a >= 1e6)) return v.toExponential(3);
  return String(Number(v.toPrecision(5)));
}

export function formatDateTime(ms: number | Date | null | undefined, locale: string): string {
  if (ms === null || ms === undefined) return "—";
  const d = ms instanceof Date ? ms : new Date(ms);
  if (Number.isNaN(d.getTime())) return "—";
  return d.toLocaleString(locale === "es" ? "es-AR" : "en-US", { dateStyle: "medium", timeStyle: "short" });
}

export function formatDuration(startMs: number, endMs: number | null | undefined): string {
  if (endMs === null || endMs === undefined || endMs < startMs) return "—";
  const s = (endMs - startMs) / 1000;
  if (s < 1) return `${Math.round(s * 1000)} ms`;
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${Math.round(s - m * 60)} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MB`;
  return `${(n / 1024 ** 3).toFixed(1)} GB`;
}

/** Quotes a key for the MLflow order_by/filter grammar when it isn't a plain identifier. */
export function mlflowKey(entity: "metrics" | "params" | "tags" | "attributes", key: string): string {
  return /^[A-Za-z_][\w.\-:/]*$/.test(key) && !key.endsWith(".") ? `${entity}.${key}` : `${entity}.\`${key}\``;
}

export const statusTone: Record<string, string> = {
  FINISHED: "bg-green-100 text-green-800",
  RUNNING: "bg-blue-100 text-blue-800",
  SCHEDULED: "bg-stone-100 text-stone-700",
  FAILED: "bg-red-100 text-red-800",
  KILLED: "bg-amber-100 text-amber-800",
};
