// Pure display helpers for challenge pages: times in the class's time zone, scores, and a
// leaderboard's rank shift (wall times ↔ instants: lib/time-zone.ts).

/** A date and time as people in `timeZone` read it, e.g. "12 jun 2025, 23:59". */
export function formatInZone(date: Date | number, timeZone: string, locale: string): string {
  const d = date instanceof Date ? date : new Date(date);
  if (Number.isNaN(d.getTime())) return "—";
  return new Intl.DateTimeFormat(locale === "es" ? "es-AR" : "en-US", { dateStyle: "medium", timeStyle: "short", timeZone }).format(d);
}

/** A score for tables: up to 4 decimals, "—" when there is none. */
export function formatScore(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return "—";
  return String(Number(v.toFixed(4)));
}

/**
 * How a student's place moved from the public to the private leaderboard: "▲2" (up two
 * places), "▼1", "=", or "" when there was no public place to compare with.
 */
export function rankShift(publicRank: number | null | undefined, privateRank: number): { text: string; direction: "up" | "down" | "same" | "none"; places: number } {
  if (publicRank === null || publicRank === undefined) return { text: "", direction: "none", places: 0 };
  const d = publicRank - privateRank;
  if (d > 0) return { text: `▲${d}`, direction: "up", places: d };
  if (d < 0) return { text: `▼${-d}`, direction: "down", places: -d };
  return { text: "=", direction: "same", places: 0 };
}
