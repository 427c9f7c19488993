// Where to go after signing in: a `?next=` value is attacker-controlled, so only a path on the
// app's own origin is followed. Browsers read `/\host` (and tabs/newlines inside it) as `//host`,
// so a prefix check on the raw string is not enough; the value is resolved the way the browser
// will resolve it (`new URL` against the origin) and must land on that same origin.

/** Longer `next` values are refused outright (no legitimate in-app path comes near this). */
export const MAX_NEXT_LENGTH = 2048;

// C0 controls, DEL, and the backslash that special-scheme URL parsers treat as `/`.
const FORBIDDEN = /[\u0000-\u001f\u007f\\]/;

/** Percent-decodes up to a few times (double-encoding), or null where the value is not valid %-encoding. */
function decodings(raw: string): string[] | null {
  const out = [raw];
  let cur = raw;
  for (let i = 0; i < 3 && cur.includes("%"); i++) {
    try {
      cur = decodeURIComponent(cur);
    } catch {
      return null;
    }
    out.push(cur);
  }
  return out;
}

/**
 * The same-origin `pathname + search + hash` that `raw` points to, or `fallback` when `raw` is
 * missing, not a plain absolute path, or would leave `origin` (`//host`, `/\host`, `javascript:`,
 * `https://other`, encoded variants such as `/%5Chost` or `/%2F%2Fhost`, control characters).
 */
export function safeNextPath(raw: string | null | undefined, origin: string, fallback: string): string {
  if (typeof raw !== "string" || raw.length === 0 || raw.length > MAX_NEXT_LENGTH || FORBIDDEN.test(raw)) return fallback;
  // The path (before any query or fragment) decides where the browser goes: each decoded form of
  // it must still be a plain path, one leading `/` then neither `/` nor `\` nor a control character.
  const forms = decodings(raw.split(/[?#]/, 1)[0]);
  if (!forms) return fallback;
  for (const s of forms) if (FORBIDDEN.test(s) || !s.startsWith("/") || s.startsWith("//")) return fallback;
  let base: URL;
  let url: URL;
  try {
    base = new URL(origin);
    url = new URL(raw, base);
  } catch {
    return fallback;
  }
  if (url.origin !== base.origin || url.username || url.password) return fallback;
  // Dot segments can collapse into a leading `//` (`/.//host`, `/a/..//host`): the result, which
  // is what the router is handed, must itself be a plain path.
  if (url.pathname.startsWith("//")) return fallback;
  return `${url.pathname}${url.search}${url.hash}`;
}
