// What an instructor types as an override: "85", "85,5", "85 %" on the percent scale, or "0.85" /
// "0,85" on the 0–1 scale. Returns the 0–1 grade, or null for anything else (out of range included).

export type ScoreUnit = "percent" | "fraction";

export function parseScoreInput(text: string, unit: ScoreUnit): number | null {
  const t = text.trim().replace(/\s*%$/, "").replace(",", ".");
  if (!/^\d{1,3}(?:\.\d{1,4})?$|^\.\d{1,4}$/.test(t)) return null;
  const v = Number(t);
  const score = unit === "percent" ? v / 100 : v;
  return score >= 0 && score <= 1 ? Math.round(score * 1e6) / 1e6 : null;
}

/** A 0–1 grade for display: "85,5 %" / "85.5%". */
export function formatPercent(score: number | null, locale: string): string {
  if (score === null || !Number.isFinite(score)) return "—";
  return new Intl.NumberFormat(locale === "es" ? "es-AR" : "en-US", { style: "percent", maximumFractionDigits: 1 }).format(score);
}

/** A metric value that is not a 0–1 grade (RMSE…). */
export function formatMetricValue(value: number | null, locale: string): string {
  if (value === null || !Number.isFinite(value)) return "—";
  return new Intl.NumberFormat(locale === "es" ? "es-AR" : "en-US", { maximumSignificantDigits: 4 }).format(value);
}
