// Batch prediction over HTTP (issue 13 point 6), lean routes beside the feedback route:
//   POST /api/serving/batch?model=<name>[&version=<n>]  body: text/csv, or multipart/form-data with a
//        file field (any name; the first file) → 202 {id, state, done, total, ...}
//   GET  /api/serving/batch/<id>                  → {id, state, done, total, error, ...} (owner only)
//   GET  /api/serving/batch/<id>/predictions.csv  → id + prediction columns, once done (owner only)
// Same authentication as predictions (bearer token or the session cookie; a cookie upload only from
// the app's origin). Errors are `{"error": "..."}`; another user's job is 404, as an unknown one.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { SessionUser } from "@/lib/server/auth";
import { BodyTooLargeError } from "@/lib/server/read-body";
import { authenticate } from "@/lib/server/services/tracking/mlflow-rest";
import { HTTP_STATUS, MlflowError } from "@/lib/server/services/tracking/mlflow-rest/errors";
import { BATCH_LIMITS, BatchError, batchJobFor, batchJobView, startBatchJob } from "@/lib/server/services/serving/batch";
import type { ServingService } from "@/lib/server/services/serving/backend";
import type { LeanHandler } from "./app-server";
import { NodeHeaders, readBodyText, sendJson, type HeaderList } from "./node-adapter";

export interface BatchRouteOptions {
  service: ServingService;
  authOptions: Parameters<typeof authenticate>[1];
  securityHeaders: HeaderList;
}

/** Multipart framing around a 10 MB file. */
const MULTIPART_OVERHEAD = 64 * 1024;
const JOB_RE = /^\/api\/serving\/batch\/([0-9a-f-]{36})(\/predictions\.csv)?$/;

/** Routes /api/serving/batch… to the batch handler, anything else under /api/serving/ to `other`. */
export function withBatchRoutes(other: LeanHandler, opts: BatchRouteOptions): LeanHandler {
  const batch = batchHandler(opts);
  return (req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    return path === "/api/serving/batch" || path.startsWith("/api/serving/batch/") ? batch(req, res) : other(req, res);
  };
}

async function readUpload(req: IncomingMessage, onOverflow: () => void): Promise<string> {
  const type = String(req.headers["content-type"] ?? "").toLowerCase();
  if (type.startsWith("multipart/form-data")) {
    // latin1 keeps every byte as one char, so the multipart body goes back to bytes unchanged.
    const chunks: Buffer[] = [];
    let size = 0;
    const max = BATCH_LIMITS.bytes + MULTIPART_OVERHEAD;
    if (Number(req.headers["content-length"] ?? 0) > max) {
      onOverflow();
      throw new BodyTooLargeError(max);
    }
    for await (const c of req) {
      size += (c as Buffer).length;
      if (size > max) {
        onOverflow();
        throw new BodyTooLargeError(max);
      }
      chunks.push(c as Buffer);
    }
    let form: FormData;
    try {
      form = await new Response(new Uint8Array(Buffer.concat(chunks)), { headers: { "content-type": String(req.headers["content-type"]) } }).formData();
    } catch {
      throw new BatchError(400, "The multipart body could not be read");
    }
    const file = [...form.values()].find((v): v is File => typeof v !== "string");
    if (!file) throw new BatchError(400, "The form has no file: send the CSV as a file field");
    if (file.size > BATCH_LIMITS.bytes) throw new BodyTooLargeError(BATCH_LIMITS.bytes);
    return file.text();
  }
  if (type.startsWith("text/csv") || type.startsWith("text/plain") || type === "") return readBodyText(req, BATCH_LIMITS.bytes, onOverflow);
  throw new BatchError(400, "Send the CSV as text/csv or as a file in multipart/form-data");
}

function batchHandler(opts: BatchRouteOptions): LeanHandler {
  return async (req: IncomingMessage, res: ServerResponse) => {
    let overflowed = false;
    const method = req.method ?? "GET";
    const url = new URL(req.url ?? "/", "http://x");
    const send = (status: number, body: unknown) =>
      sendJson(res, status, body, opts.securityHeaders, { close: overflowed || (!req.readableEnded && method !== "GET" && method !== "HEAD") });
    let user: SessionUser;
    try {
      // Cookie uploads: the origin check (a CSV is not JSON, so requireJson stays off).
      user = await authenticate({ method, headers: new NodeHeaders(req.headers).asHeaders() }, opts.authOptions);
    } catch (e) {
      if (!(e instanceof MlflowError)) throw e;
      return send(HTTP_STATUS[e.code], { error: e.message });
    }
    if (url.pathname === "/api/serving/batch") {
      if (method !== "POST") {
        res.setHeader("allow", "POST");
        return send(405, { error: "Use POST with a CSV" });
      }
      const model = url.searchParams.get("model") ?? "";
      if (!model || model.length > 513) return send(400, { error: "Name the model: ?model=<name>[&version=<n>]" });
      const v = url.searchParams.get("version");
      const version = v === null || v === "" ? undefined : Number(v);
      if (version !== undefined && !(Number.isSafeInteger(version) && version >= 1)) return send(400, { error: `version must be a positive integer, got '${v}'` });
      try {
        const csv = await readUpload(req, () => (overflowed = true));
        const job = await startBatchJob({ user, backend: opts.service.backendFor(user), model, version, csv });
        return send(202, batchJobView(job));
      } catch (e) {
        if (e instanceof BodyTooLargeError) return send(413, { error: `The CSV is larger than ${BATCH_LIMITS.bytes} bytes` });
        if (e instanceof BatchError) return send(e.status, { error: e.message });
        throw e;
      }
    }
    const m = JOB_RE.exec(url.pathname);
    if (!m) return send(404, { error: "Not found" });
    if (method !== "GET" && method !== "HEAD") {
      res.setHeader("allow", "GET");
      return send(405, { error: "Use GET" });
    }
    const job = batchJobFor(user, m[1]);
    if (!job) return send(404, { error: `Batch job ${m[1]} not found` });
    if (!m[2]) return send(200, batchJobView(job));
    if (job.state !== "done" || job.csv === null)
      return send(409, { error: job.state === "failed" ? `The batch job failed: ${job.error}` : `The batch job is still running (${job.done} of ${job.total} rows)` });
    const body = Buffer.from(job.csv, "utf8");
    const headers: Record<string, string> = {};
    for (const [k, val] of opts.securityHeaders) headers[k] = val;
    res.writeHead(200, {
      ...headers,
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="predictions-${job.id}.csv"`,
      "content-length": String(body.length),
      "cache-control": "private, no-store",
    });
    res.end(method === "HEAD" ? undefined : body);
  };
}
