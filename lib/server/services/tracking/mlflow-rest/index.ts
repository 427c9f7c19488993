// The MLflow REST 2.0 tracking API as a plain (Request) → Response function, so the Next route,
// a bare Node server (bench/) and tests all run the same code (the lean HTTP layer calls its
// core, handleMlflowCall, with plain data). Auth: `Authorization: Bearer
// <personal access token>`, or the app's session cookie (the notebook runs on the same origin).
// Served under /api/2.0/mlflow/ and, for the MLflow web UI, /ajax-api/2.0/mlflow/.
import type { Db } from "@/lib/server/db";
import type { SessionUser } from "@/lib/server/auth";
import { env } from "@/lib/env";
import { findUnstorableString, MAX_JSON_DEPTH, scanJsonText } from "@/lib/server/json-limits";
import { BodyTooLargeError, readBodyText } from "@/lib/server/read-body";
import { crossSiteWriteProblem, originOf } from "@/lib/server/same-origin";
import { authenticateToken, cachedTokenUser } from "@/lib/server/services/tokens";
import { errorReply, MlflowError, replyResponse, toErrorReply, type MlflowReply } from "./errors";
import { routes, type Params } from "./handlers";
import { registryRoutes, type RegistryMethod } from "@/lib/server/services/registry/mlflow-routes";

export const MLFLOW_PREFIX = "/api/2.0/mlflow/";
export const MLFLOW_AJAX_PREFIX = "/ajax-api/2.0/mlflow/";
const MAX_BODY_BYTES = 8 * 1024 * 1024;

export interface MlflowRequestOptions {
  db: Db;
  /** Resolves a session cookie to a user; the Next route passes better-auth's getSessionUser. */
  sessionUser?: (headers: Headers) => Promise<SessionUser | null>;
  /** The origin cookie-authenticated writes must come from; default: env.CUADERNO_URL's. */
  appOrigin?: string;
}

function queryParams(url: URL): Params {
  const out: Params = {};
  for (const [k, v] of url.searchParams) {
    const prev = out[k];
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}

/** The route name after either prefix (`runs/create`), trailing slashes dropped; null when neither. */
export function mlflowRoutePath(pathname: string): string | null {
  for (const prefix of [MLFLOW_PREFIX, MLFLOW_AJAX_PREFIX]) {
    const at = pathname.indexOf(prefix);
    // "/ajax-api/2.0/mlflow/" does not contain "/api/2.0/mlflow/" (a '-' precedes "api").
    if (at < 0) continue;
    let end = pathname.length;
    while (end > at + prefix.length && pathname[end - 1] === "/") end--; // not /\/+$/: quadratic on a run of slashes
    return pathname.slice(at + prefix.length, end);
  }
  return null;
}

const BEARER = /^Bearer\s+(\S+)$/i;

/**
 * The caller of a REST request: a personal access token, or the session cookie. A cookie-
 * authenticated write (any method but GET/HEAD) must also come from the app's own origin and,
 * with `requireJson` (the tracking API; not the artifact proxy, whose uploads are binary), carry
 * exactly `Content-Type: application/json` — what a page on another origin cannot send without a
 * CORS preflight, which this API never grants.
 */
export async function authenticate(req: Pick<Request, "method" | "headers">, opts: MlflowRequestOptions, { requireJson = false }: { requireJson?: boolean } = {}): Promise<SessionUser> {
  const auth = req.headers.get("authorization");
  if (auth) {
    const m = BEARER.exec(auth);
    const user = m ? await authenticateToken(opts.db, m[1]) : null;
    if (!user) throw new MlflowError("UNAUTHENTICATED", "Invalid or revoked access token");
    return user;
  }
  if (opts.sessionUser && req.headers.get("cookie")) {
    const user = await opts.sessionUser(req.headers);
    if (user) {
      const problem = crossSiteWriteProblem(req, opts.appOrigin ?? originOf(env.CUADERNO_URL), { requireJson });
      if (problem) throw new MlflowError("PERMISSION_DENIED", problem.message);
      return user;
    }
  }
  throw new MlflowError("UNAUTHENTICATED", "Authentication required: send 'Authorization: Bearer <token>' (create a token in Settings)");
}

/**
 * authenticate()'s answer for a bearer token that the token cache holds, at once (hot routes
 * then await nothing for it); null when it must be asked (call authenticate()).
 */
export function authenticatedFromCache(headers: Pick<Headers, "get">, opts: Pick<MlflowRequestOptions, "db">): SessionUser | null {
  const auth = headers.get("authorization");
  const m = auth ? BEARER.exec(auth) : null;
  return (m && cachedTokenUser(opts.db, m[1])) || null;
}

/** Parses a JSON request body, bounded in size and nesting, its strings (keys too) storable as text. */
async function readJsonBody(call: MlflowCall): Promise<Params> {
  let text: string;
  try {
    text = await call.text(MAX_BODY_BYTES);
  } catch (e) {
    if (e instanceof BodyTooLargeError) throw new MlflowError("INVALID_PARAMETER_VALUE", `Request body exceeds ${MAX_BODY_BYTES} bytes`);
    throw e;
  }
  if (!text.trim()) return {};
  // Depth and unstorable text in one pass over the text; the walk over the parsed value runs
  // only where the text has something that could decode to NUL or a lone surrogate.
  const scan = scanJsonText(text, MAX_JSON_DEPTH);
  if (scan.depth > MAX_JSON_DEPTH)
    throw new MlflowError("INVALID_PARAMETER_VALUE", `Request body is nested deeper than ${MAX_JSON_DEPTH} levels`);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new MlflowError("INVALID_PARAMETER_VALUE", "Request body is not valid JSON");
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw new MlflowError("INVALID_PARAMETER_VALUE", "Request body must be a JSON object");
  if (scan.mayBeUnstorable) checkStorable(body as Params);
  return body as Params;
}

/** Refuses NUL characters and unpaired surrogates anywhere in the request (PostgreSQL cannot store them). */
function checkStorable(p: Params): void {
  const at = findUnstorableString(p);
  if (at) throw new MlflowError("INVALID_PARAMETER_VALUE", `Invalid value for '${at}': text may not contain NUL characters or unpaired UTF-16 surrogates`);
}

/**
 * A request as plain data. A Web Request is turned into one by handleMlflowRequest; the lean
 * HTTP layer (lib/server/http) builds one over Node's request, so the hot path allocates no
 * Request, Headers, body stream or Response — both run the same handleMlflowCall.
 */
export interface MlflowCall {
  method: string;
  /** An absolute URL; only its path and query are read. */
  url: string;
  /** Only get() is called. */
  headers: Headers;
  /** The body as UTF-8 text; throws BodyTooLargeError past maxBytes, having stopped reading. */
  text(maxBytes: number): Promise<string>;
}

export async function handleMlflowCall(call: MlflowCall, opts: MlflowRequestOptions): Promise<MlflowReply> {
  try {
    const url = new URL(call.url);
    const path = mlflowRoutePath(url.pathname) ?? "";
    const route = Object.hasOwn(routes, path) ? routes[path] : undefined;
    // The Model Registry's routes (lib/server/services/registry) go by path and method: MLflow
    // serves get/set/delete of an alias at one path with GET, POST and DELETE.
    const registry = !route && Object.hasOwn(registryRoutes, path) ? registryRoutes[path] : undefined;
    if (!route && !registry) return errorReply("ENDPOINT_NOT_FOUND", `No API endpoint at ${url.pathname}`);
    const handle = route
      ? route.method.split("|").includes(call.method)
        ? route.handle
        : undefined
      : Object.hasOwn(registry!, call.method)
        ? registry![call.method as RegistryMethod]
        : undefined;
    if (!handle) return errorReply("ENDPOINT_NOT_FOUND", `Method ${call.method} is not allowed for ${path}`, 405);
    const user = await authenticate(call, opts, { requireJson: true });
    let p: Params;
    if (call.method === "GET") checkStorable((p = queryParams(url)));
    else {
      p = await readJsonBody(call);
      // MLflow reads a DELETE's fields from the query string when it has no body.
      if (call.method === "DELETE" && !Object.keys(p).length) checkStorable((p = queryParams(url)));
    }
    const result = await handle({ ctx: { db: opts.db, user }, p, headers: call.headers });
    return { status: 200, body: result };
  } catch (e) {
    return toErrorReply(e);
  }
}

export async function handleMlflowRequest(req: Request, opts: MlflowRequestOptions): Promise<Response> {
  const call: MlflowCall = { method: req.method, url: req.url, headers: req.headers, text: (maxBytes) => readBodyText(req, maxBytes) };
  return replyResponse(await handleMlflowCall(call, opts));
}
