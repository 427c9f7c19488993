// Wall-clock time in a class's time zone (Intl only; no time-zone database of our own): the day
// a challenge submission counts against and when the daily limit resets (local midnight), and
// the date-times an instructor types for a deadline ("2026-05-04T23:59", meaning that time where
// the class is) ↔ the instants the server stores. Pure; used by the server and the browser.

export const DEFAULT_TIME_ZONE = "America/Argentina/Buenos_Aires";

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** An IANA zone name the runtime knows ("America/Argentina/Buenos_Aires", "UTC"). */
export function isValidTimeZone(timeZone: string): boolean {
  if (!/^[A-Za-z0-9_+\-/]{1,64}$/.test(timeZone)) return false;
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function localParts(at: Date, timeZone: string): LocalParts {
  const out: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(at)) if (p.type !== "literal") out[p.type] = Number(p.value);
  return { year: out.year!, month: out.month!, day: out.day!, hour: out.hour! % 24, minute: out.minute!, second: out.second! };
}

/** Minutes the zone is ahead of UTC at instant `at` (Buenos Aires: -180). */
export function offsetMinutes(at: Date, timeZone: string): number {
  const p = localParts(at, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return Math.round((asUtc - Math.floor(at.getTime() / 1000) * 1000) / 60_000);
}

const two = (n: number) => String(n).padStart(2, "0");

/** The calendar day of `at` in `timeZone`, as YYYY-MM-DD. */
export function dayKey(at: Date, timeZone: string = DEFAULT_TIME_ZONE): string {
  const p = localParts(at, timeZone);
  return `${String(p.year).padStart(4, "0")}-${two(p.month)}-${two(p.day)}`;
}

/** The instant of the next local midnight after `at` in `timeZone` (when a daily limit resets). */
export function nextDayStart(at: Date, timeZone: string = DEFAULT_TIME_ZONE): Date {
  const p = localParts(at, timeZone);
  const midnightAsUtc = Date.UTC(p.year, p.month - 1, p.day + 1);
  // Local midnight = UTC wall time minus the offset in force then; one correction covers a DST change.
  let guess = midnightAsUtc - offsetMinutes(at, timeZone) * 60_000;
  guess = midnightAsUtc - offsetMinutes(new Date(guess), timeZone) * 60_000;
  // A zone that skips midnight (DST at 00:00) starts the day at the first instant after it.
  if (dayKey(new Date(guess), timeZone) === dayKey(at, timeZone)) guess += 3600_000;
  return new Date(guess);
}

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;

/** "YYYY-MM-DDTHH:MM" (a datetime-local input's value) in `timeZone` → the instant; null when malformed or not a real date. */
export function zonedLocalToInstant(local: string, timeZone: string): Date | null {
  const m = LOCAL.exec(local);
  if (!m) return null;
  const [y, mo, d, h, mi] = m.slice(1).map(Number) as [number, number, number, number, number];
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59) return null;
  const naive = Date.UTC(y, mo - 1, d, h, mi);
  if (new Date(naive).getUTCDate() !== d) return null; // 31 April and the like
  // Two passes settle the offset across a DST change; a time skipped by one lands just after it.
  let guess = naive - offsetMinutes(new Date(naive), timeZone) * 60_000;
  guess = naive - offsetMinutes(new Date(guess), timeZone) * 60_000;
  return new Date(guess);
}

/** The instant as "YYYY-MM-DDTHH:MM" in `timeZone` (what a datetime-local input shows). */
export function instantToZonedLocal(instant: Date, timeZone: string): string {
  const p = localParts(instant, timeZone);
  return `${p.year}-${two(p.month)}-${two(p.day)}T${two(p.hour)}:${two(p.minute)}`;
}
