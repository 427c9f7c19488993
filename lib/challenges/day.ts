// Calendar days in a class's time zone: the daily submission limit counts per day there and
// resets at its local midnight (Intl only; no time-zone database of our own).

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
  return { year: out.year, month: out.month, day: out.day, hour: out.hour % 24, minute: out.minute, second: out.second };
}

/** The calendar day of `at` in `timeZone`, as YYYY-MM-DD. */
export function dayKey(at: Date, timeZone: string = DEFAULT_TIME_ZONE): string {
  const p = localParts(at, timeZone);
  return `${String(p.year).padStart(4, "0")}-${String(p.month).padStart(2, "0")}-${String(p.day).padStart(2, "0")}`;
}

/** Milliseconds the zone is ahead of UTC at instant `at`. */
function offsetMs(at: Date, timeZone: string): number {
  const p = localParts(at, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - Math.floor(at.getTime() / 1000) * 1000;
}

/** The instant of the next local midnight after `at` in `timeZone` (when the daily limit resets). */
export function nextDayStart(at: Date, timeZone: string = DEFAULT_TIME_ZONE): Date {
  const p = localParts(at, timeZone);
  const midnightAsUtc = Date.UTC(p.year, p.month - 1, p.day + 1);
  // Local midnight = UTC wall time minus the offset in force then; one correction covers a DST change.
  let guess = midnightAsUtc - offsetMs(at, timeZone);
  guess = midnightAsUtc - offsetMs(new Date(guess), timeZone);
  // A zone that skips midnight (DST at 00:00) starts the day at the first instant after it.
  if (dayKey(new Date(guess), timeZone) === dayKey(at, timeZone)) guess += 3600_000;
  return new Date(guess);
}
