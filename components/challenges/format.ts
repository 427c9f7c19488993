// Pure display helpers for challenge pages: times in the class's time zone, the wall time an
// instructor types for a deadline read in that zone, scores, and a leaderboard's rank shift.

/** A date and time as people in `timeZone` read it, e.g. "12 jun 2025, 23:59". */
export function formatInZone(date: Date | number, timeZone: string, locale: string): string {
  const d = date instanceof Date ? date : new Date(date);
  if (Number.isNaN(d.getTime())) return "—";
  return new Intl.DateTimeFormat(locale === "es" ? "es-AR" : "en-US", { dateStyle: "medium", timeStyle: "short", timeZone }).format(d);
}

/** Offset of `timeZone` from UTC at the instant `at`, in minutes (Buenos Aires: -180). */
export function zoneOffsetMinutes(at: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(at);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? NaN);
  const asUtc = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"), get("second"));
  return Math.round((asUtc - Math.floor(at.getTime() / 1000) * 1000) / 60_000);
}

const WALL_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;

/**
 * The instant a wall time ("2025-06-12T23:59", as a datetime-local input gives it) names in
 * `timeZone`; null when the text is not such a time. Two passes settle a DST change between
 * the guess and the answer.
 */
export function wallTimeInZone(wall: string, timeZone: string): Date | null {
  const m = WALL_RE.exec(wall);
  if (!m) return null;
  const [y, mo, d, h, mi] = m.slice(1).map(Number);
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59) return null;
  const naive = Date.UTC(y, mo - 1, d, h, mi);
  let guess = naive - zoneOffsetMinutes(new Date(naive), timeZone) * 60_000;
  guess = naive - zoneOffsetMinutes(new Date(guess), timeZone) * 60_000;
  const back = new Date(guess + zoneOffsetMinutes(new Date(guess), timeZone) * 60_000);
  if (back.getUTCDate() !== d || back.getUTCMonth() !== mo - 1) return null; // e.g. 31 June
  return new Date(guess);
}

/** The datetime-local text for `date` as read in `timeZone` (to prefill a deadline input). */
export function toWallTime(date: Date, timeZone: string): string {
  const local = new Date(date.getTime() + zoneOffsetMinutes(date, timeZone) * 60_000);
  return local.toISOString().slice(0, 16);
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
