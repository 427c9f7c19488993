// Cookie-authenticated writes must come from the app's own pages. A cookie rides along with any
// cross-site request, so the server checks what a browser will not let a page forge: the
// `Origin` header (sent on every non-GET fetch and form post) or, where a browser leaves it out,
// `Sec-Fetch-Site`. Bearer-token clients (scripts, the MLflow client) are not browsers and skip this.

/** The app's origin (`https://host[:port]`) from a URL such as env.CUADERNO_URL. */
export function originOf(url: string): string {
  return new URL(url).origin;
}

/** The media type of a Content-Type header, lower-cased, without parameters; "" when absent. */
export function mediaType(contentType: string | null | undefined): string {
  return (contentType ?? "").split(";", 1)[0].trim().toLowerCase();
}

export const isSafeMethod = (method: string) => method === "GET" || method === "HEAD";

/**
 * Whether a request comes from a page of `appOrigin`: its Origin equals it, or the browser says
 * the request is same-origin (Sec-Fetch-Site) — which also covers a page reached under another
 * host name than the configured one, since a page cannot set that header itself.
 */
export function isSameOrigin(headers: Headers, appOrigin: string): boolean {
  const origin = headers.get("origin");
  if (origin !== null && origin !== "null") {
    try {
      if (new URL(origin).origin === appOrigin) return true;
    } catch {
      // not a URL: fall through to fetch metadata
    }
  }
  return headers.get("sec-fetch-site") === "same-origin";
}

/** Why a cookie-authenticated write is refused (the kind, for callers that answer each with its own status), or null when it may go on. */
export interface CrossSiteWriteProblem {
  kind: "contentType" | "origin";
  message: string;
}

export function crossSiteWriteProblem(req: { method: string; headers: Headers }, appOrigin: string, opts: { requireJson: boolean }): CrossSiteWriteProblem | null {
  if (isSafeMethod(req.method)) return null;
  if (opts.requireJson && mediaType(req.headers.get("content-type")) !== "application/json")
    return { kind: "contentType", message: "Cookie-authenticated requests must send Content-Type: application/json" };
  if (!isSameOrigin(req.headers, appOrigin))
    return { kind: "origin", message: `Cookie-authenticated writes must come from ${appOrigin} (Origin header); use 'Authorization: Bearer <token>' from other clients` };
  return null;
}
