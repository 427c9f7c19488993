// Pure helpers of the endpoint pages: percent input, number formats, the URLs and snippets that
// show how to call a model (TF Serving REST, lib/server/http/serving-routes.ts).

/** A typed percent as the server accepts it (an integer 0–100), or null. */
export function parsePercent(text: string): number | null {
  const t = text.trim();
  if (!/^\d{1,3}$/.test(t)) return null;
  const n = Number(t);
  return n >= 0 && n <= 100 ? n : null;
}

const nf = (lang: string, digits: number) => new Intl.NumberFormat(lang, { maximumFractionDigits: digits, minimumFractionDigits: 0 });

export const formatNumber = (v: number | null | undefined, lang: string, digits = 2): string => (v === null || v === undefined || !Number.isFinite(v) ? "—" : nf(lang, digits).format(v));

export const formatRatio = (v: number | null | undefined, lang: string): string =>
  v === null || v === undefined || !Number.isFinite(v) ? "—" : new Intl.NumberFormat(lang, { style: "percent", maximumFractionDigits: 1 }).format(v);

export const formatMs = (v: number | null | undefined, lang: string): string => (v === null || v === undefined || !Number.isFinite(v) ? "—" : `${nf(lang, 1).format(v)} ms`);

/** The path segment a model goes by in a URL: `<ownerId>/<name>` is one segment (%2F), as the serving routes read it. */
export const modelSegment = (name: string): string => encodeURIComponent(name);

/** The page of an endpoint inside the app (locale added by the i18n Link). */
export const endpointPageHref = (name: string): string => `/models/${name.split("/").map(encodeURIComponent).join("/")}`;

export const predictUrl = (origin: string, name: string): string => `${origin}/v1/models/${modelSegment(name)}:predict`;

export function curlSnippet(origin: string, name: string, width = 3): string {
  const row = Array.from({ length: width }, () => "0").join(", ");
  return `curl -X POST ${predictUrl(origin, name)} \\\n  -H "Authorization: Bearer $CUADERNO_TOKEN" \\\n  -H "Content-Type: application/json" \\\n  -d '{"instances": [[${row}]]}'`;
}

export function fetchSnippet(name: string): string {
  return `const res = await fetch("/v1/models/${modelSegment(name)}:predict", {\n  method: "POST",\n  headers: { "Content-Type": "application/json" },\n  body: JSON.stringify({ instances: rows }),\n});\nconst { predictions } = await res.json();`;
}

/** The page's `[...name]` segments back to the model reference (`name` or `<ownerId>/<name>`), or null when malformed. */
export function modelRefFromSegments(segments: readonly string[]): string | null {
  if (segments.length < 1 || segments.length > 2) return null;
  const parts = segments.map((s) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  });
  if (parts.some((p) => p.length === 0 || p.length > 256)) return null;
  return parts.join("/");
}

/** Index of the fullest bin, or -1 when every bin is empty. */
export function fullestBin(histogram: readonly number[]): number {
  let best = -1;
  let max = 0;
  histogram.forEach((c, i) => {
    if (c > max) {
      max = c;
      best = i;
    }
  });
  return best;
}
