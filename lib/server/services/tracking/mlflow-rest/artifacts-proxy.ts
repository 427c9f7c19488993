// MLflow's artifact proxy (mlflow-artifacts) for run artifacts: PUT uploads a file, GET downloads
// one, DELETE removes a file or a folder, and GET on the bare `artifacts?path=<folder>` lists a
// folder. Paths are `<run_id>/<path>`, or MLflow clients' `<experiment_id>/<run_id>/artifacts/<path>`
// (a run's artifact_uri is mlflow-artifacts:/<experiment_id>/<run_id>/artifacts). Access rules are
// the artifacts service's: the owner writes, whoever may see the run reads.
import { deleteArtifacts, listArtifactChildren, logArtifact, MAX_ARTIFACT_BYTES, readArtifact } from "../artifacts";
import type { ArtifactStorage } from "../artifacts/storage";
import type { ArtifactStore } from "../artifacts/store";
import { errorResponse, MlflowError, toErrorResponse } from "./errors";
import { authenticate, type MlflowRequestOptions } from "./index";

export const MLFLOW_ARTIFACTS_PREFIX = "/api/2.0/mlflow-artifacts/artifacts/";
// MLflow's web UI calls the same routes under /ajax-api/2.0/ ("/ajax-api/..." does not contain
// "/api/...": a '-' precedes "api").
const PREFIXES = [MLFLOW_ARTIFACTS_PREFIX, "/ajax-api/2.0/mlflow-artifacts/artifacts/"];

/** What follows the proxy's prefix (`<run_id>/<path>`...), or null for another path. */
function afterPrefix(pathname: string): string | null {
  for (const prefix of PREFIXES) {
    const at = pathname.indexOf(prefix);
    if (at >= 0) return pathname.slice(at + prefix.length);
  }
  return null;
}

export interface ArtifactsRequestOptions extends MlflowRequestOptions {
  /** Default: disk or S3 per lib/env.ts (defaultArtifactStorage). */
  store?: ArtifactStore | ArtifactStorage;
}

// Types a browser may render inline from our origin; anything else is served as a download.
const INLINE_TYPES = /^(application\/json|text\/plain|text\/csv|image\/(png|jpeg|gif|webp)|application\/octet-stream)(;|$)/i;

/**
 * `<run_id>/<path>` or `<experiment_id>/<run_id>/artifacts/<path>` → run id and artifact path.
 * `allowRoot`: the path may be empty (a run's whole artifact folder: listing, DELETE).
 * `decoded`: the segments are already decoded (a `?path=` query value).
 */
export function parseArtifactLocation(rest: string, opts: { allowRoot?: boolean; decoded?: boolean } = {}): { runId: string; path: string } {
  const parts = rest.split("/").map((s) => {
    if (opts.decoded) return s;
    try {
      return decodeURIComponent(s);
    } catch {
      throw new MlflowError("INVALID_PARAMETER_VALUE", "Malformed artifact path");
    }
  });
  let runId: string | undefined;
  let path: string[];
  if (parts.length >= (opts.allowRoot ? 3 : 4) && /^\d+$/.test(parts[0]) && /^[0-9a-f]{32}$/i.test(parts[1]) && parts[2] === "artifacts") {
    runId = parts[1];
    path = parts.slice(3);
  } else {
    runId = parts[0];
    path = parts.slice(1);
  }
  const joined = path.join("/");
  if (!runId || (!joined && !opts.allowRoot)) throw new MlflowError("INVALID_PARAMETER_VALUE", "Expected /api/2.0/mlflow-artifacts/artifacts/<run_id>/<path>");
  return { runId, path: joined };
}

const basename = (p: string) => p.slice(p.lastIndexOf("/") + 1);

/** The listing route: `GET .../mlflow-artifacts/artifacts?path=<folder>`, trailing slashes allowed. */
function isListingPath(pathname: string): boolean {
  let end = pathname.length;
  while (end > 0 && pathname[end - 1] === "/") end--; // a loop, not /\/+$/: that is quadratic on a run of slashes
  const bare = `${pathname.slice(0, end)}/`;
  return PREFIXES.some((p) => bare.endsWith(p));
}

/** MLflow's ListArtifactsMlflowArtifacts: a folder's direct children by base name, `{}` when empty. */
async function listFolder(req: Request, url: URL, opts: ArtifactsRequestOptions): Promise<Response> {
  if (req.method !== "GET") return errorResponse("ENDPOINT_NOT_FOUND", `Method ${req.method} is not allowed for mlflow-artifacts listing`, 405);
  const user = await authenticate(req, opts);
  const { runId, path } = parseArtifactLocation(url.searchParams.get("path") ?? "", { allowRoot: true, decoded: true });
  const children = await listArtifactChildren({ db: opts.db, user }, { runId, dir: path });
  const files = children.map((c) => ({ path: basename(c.path), is_dir: c.isDir, ...(c.isDir ? {} : { file_size: c.size }) }));
  return Response.json(files.length ? { files } : {});
}

export async function handleMlflowArtifactsRequest(req: Request, opts: ArtifactsRequestOptions): Promise<Response> {
  try {
    const url = new URL(req.url);
    if (isListingPath(url.pathname)) return await listFolder(req, url, opts);
    const rest = afterPrefix(url.pathname);
    if (rest === null) return errorResponse("ENDPOINT_NOT_FOUND", `No API endpoint at ${url.pathname}`);
    if (req.method === "DELETE") {
      const user = await authenticate(req, opts);
      const { runId, path } = parseArtifactLocation(rest, { allowRoot: true });
      await deleteArtifacts({ db: opts.db, user }, { runId, path }, opts.store);
      return Response.json({});
    }
    if (req.method !== "GET" && req.method !== "PUT")
      return errorResponse("ENDPOINT_NOT_FOUND", `Method ${req.method} is not allowed for mlflow-artifacts`, 405);
    const user = await authenticate(req, opts);
    const { runId, path } = parseArtifactLocation(rest);
    const ctx = { db: opts.db, user };
    if (req.method === "PUT") {
      const len = Number(req.headers.get("content-length") ?? 0);
      if (len > MAX_ARTIFACT_BYTES) return errorResponse("INVALID_PARAMETER_VALUE", `Artifacts are limited to ${MAX_ARTIFACT_BYTES} bytes`);
      const data = new Uint8Array(await req.arrayBuffer());
      const contentType = (req.headers.get("content-type") ?? "").split(",")[0].trim() || "application/octet-stream";
      await logArtifact(ctx, { runId, path, data, contentType: contentType.slice(0, 200) }, opts.store);
      return Response.json({});
    }
    const file = await readArtifact(ctx, { runId, path }, opts.store);
    const inline = INLINE_TYPES.test(file.contentType);
    const name = path.split("/").pop() ?? "artifact";
    return new Response(file.data as BodyInit, {
      headers: {
        "Content-Type": inline ? file.contentType : "application/octet-stream",
        "Content-Length": String(file.data.byteLength),
        // An ASCII fallback, and the real name for browsers (RFC 6266 / 5987).
        "Content-Disposition": `${inline ? "inline" : "attachment"}; filename="${name.replace(/[^\w.-]/g, "_")}"; filename*=UTF-8''${encodeURIComponent(name).replace(/['()*!]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`,
        // Student-uploaded bytes on our origin: never sniffed, never scripted.
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "sandbox; default-src 'none'",
        "Cache-Control": "private, no-store",
      },
    });
  } catch (e) {
    return toErrorResponse(e);
  }
}
