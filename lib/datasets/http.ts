// HTTP helpers for serving dataset files (pure functions, used by app/datasets/[name]/route.ts).

/** If-None-Match against our strong tags (weak comparison, as RFC 9110 prescribes for it). */
export function etagMatches(header: string | null, etags: readonly string[]): boolean {
  if (!header) return false;
  if (header.trim() === "*") return true;
  return header.split(",").some((t) => etags.includes(t.trim().replace(/^W\//, "")));
}

/** Versioned URLs (?v=<current sha256>) never change; anything else must revalidate. */
export function cacheControlFor(version: string | null, sha256: string): string {
  return version === sha256 ? "public, max-age=31536000, immutable" : "no-cache";
}

/** Served file names: one path segment of safe characters (the catalog check comes after). */
export function isSafeFileName(name: string): boolean {
  return /^[a-z0-9][a-z0-9._-]*$/i.test(name) && !name.includes("..");
}
