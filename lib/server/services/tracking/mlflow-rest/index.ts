// The MLflow REST 2.0 tracking API as a plain (Request) → Response function, so the Next route,
// a bare Node server (bench/) and tests all run the same code. Auth: `Authorization: Bearer
// <personal access token>`, or the app's session cookie (the notebook runs on the same origin).
import type { Db } from "@/lib/server/db";
import type { SessionUser } from "@/lib/server/auth";
import { authenticateToken } from "@/lib/server/services/tokens";
import { errorResponse, MlflowError, toErrorResponse } from "./errors";
import { routes, type Params } from "./handlers";

export const MLFLOW_PREFIX = "/api/2.0/mlflow/";
const MAX_BODY_BYTES = 8 * 1024 * 1024;

export interface MlflowRequestOptions {
  db: Db;
  /** Resolves a session cookie to a user; the Next route passes better-auth's getSessionUser. */
  sessionUser?: (headers: Headers) => Promise<SessionUser | null>;
}

function queryParams(url: URL): Params {
  const out: Params = {};
  for (const [k, v] of url.searchParams) {
    const prev = out[k];
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}

/** The caller of a REST request: a personal access token, or the session cookie (JSON POSTs only). */
export async function authenticate(req: Request, opts: MlflowRequestOptions): Promise<SessionUser> {
  const auth = req.headers.get("authorization");
  if (auth) {
    const m = /^Bearer\s+(\S+)$/i.exec(auth);
    const user = m ? await authenticateToken(opts.db, m[1]) : null;
    if (!user) throw new MlflowError("UNAUTHENTICATED", "Invalid or revoked access token");
    return user;
  }
  if (opts.sessionUser && req.headers.get("cookie")) {
    const user = await opts.sessionUser(req.headers);
    if (user) {
      // A cross-site form can POST with cookies but not with a JSON content type.
      if (req.method === "POST" && !(req.headers.get("content-type") ?? "").includes("application/json"))
        throw new MlflowError("PERMISSION_DENIED", "Cookie-authenticated requests must send Content-Type: application/json");
      return user;
    }
  }
  throw new MlflowError("UNAUTHENTICATED", "Authentication required: send 'Authorization: Bearer <token>' (create a token in Settings)");
}

export async function handleMlflowRequest(req: Request, opts: MlflowRequestOptions): Promise<Response> {
  try {
    const url = new URL(req.url);
    const at = url.pathname.indexOf(MLFLOW_PREFIX);
    const path = at < 0 ? "" : url.pathname.slice(at + MLFLOW_PREFIX.length).replace(/\/+$/, "");
    const route = routes[path];
    if (!route) return errorResponse("ENDPOINT_NOT_FOUND", `No API endpoint at ${url.pathname}`);
    if (!route.method.split("|").includes(req.method))
      return errorResponse("ENDPOINT_NOT_FOUND", `Method ${req.method} is not allowed for ${path}`, 405);
    const user = await authenticate(req, opts);
    let p: Params;
    if (req.method === "GET") p = queryParams(url);
    else {
      const len = Number(req.headers.get("content-length") ?? 0);
      if (len > MAX_BODY_BYTES) return errorResponse("INVALID_PARAMETER_VALUE", `Request body exceeds ${MAX_BODY_BYTES} bytes`);
      const text = await req.text();
      if (text.length > MAX_BODY_BYTES) return errorResponse("INVALID_PARAMETER_VALUE", `Request body exceeds ${MAX_BODY_BYTES} bytes`);
      let body: unknown = {};
      if (text.trim()) {
        try {
          body = JSON.parse(text);
        } catch {
          return errorResponse("INVALID_PARAMETER_VALUE", "Request body is not valid JSON");
        }
      }
      if (typeof body !== "object" || body === null || Array.isArray(body)) return errorResponse("INVALID_PARAMETER_VALUE", "Request body must be a JSON object");
      p = body as Params;
    }
    const result = await route.handle({ ctx: { db: opts.db, user }, p, headers: req.headers });
    return Response.json(result);
  } catch (e) {
    return toErrorResponse(e);
  }
}
