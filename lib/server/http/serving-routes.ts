// Registered models as TensorFlow Serving–compatible (`/v1/models/...`) and Open Inference
// Protocol v2 (`/v2/...`) endpoints, as lean routes: the caller authenticated as on the MLflow
// REST API (bearer token or session cookie, cookie writes same-origin JSON), the body read up to
// MAX_PREDICT_BODY_BYTES (413 past it), the request answered by lib/serving/protocols over the
// registry and the process's serving engine (lib/server/services/serving).
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Db } from "@/lib/server/db";
import type { SessionUser } from "@/lib/server/auth";
import { BodyTooLargeError } from "@/lib/server/read-body";
import { authenticate, authenticatedFromCache } from "@/lib/server/services/tracking/mlflow-rest";
import { HTTP_STATUS, MlflowError } from "@/lib/server/services/tracking/mlflow-rest/errors";
import { createServingService, type ServingServiceOptions } from "@/lib/server/services/serving/backend";
import { FEEDBACK_LIMITS, FeedbackBodyError, monitoredBackend, parseFeedbackBodyOrThrow, processMonitor, recordFeedback } from "@/lib/server/services/serving/monitoring";
import { processFeedbackRelay, type FeedbackRelay } from "@/lib/server/services/serving/feedback-relay";
import type { TrafficRecorder } from "@/lib/serving/monitoring/recorder";
import { withBatchRoutes } from "./serving-batch-routes";
import { answerServingRequest } from "@/lib/serving/protocols/answer-request";
import { bodyOverLimitError, MAX_PREDICT_BODY_BYTES } from "@/lib/serving/protocols/json-body";
import { pathOf } from "@/lib/serving/protocols/paths";
import type { LeanHandler } from "./app-server";
import { NodeHeaders, readBodyText, readBufferedBody, sendJson, type HeaderList } from "./node-adapter";
import type { PrefixRoute } from "./router";

export interface ServingRoutesOptions extends Omit<ServingServiceOptions, "db"> {
  db: Db;
  /** Resolves a session cookie to a user (better-auth's getSessionUser). */
  sessionUser?: (headers: Headers) => Promise<SessionUser | null>;
  /** The app's origin: cookie-authenticated predictions must come from its pages. */
  origin: string;
  securityHeaders: HeaderList;
  /** Where predictions are recorded; default the process's recorder (tests run two instances in one process). */
  monitor?: TrafficRecorder;
  /**
   * Request ids naming this instance and feedback forwarded to the instance an id names
   * (../services/serving/feedback-relay.ts); default the process's (with REDIS_URL; null without),
   * or none when `monitor` is given (tests pass one over their recorder).
   */
  feedbackRelay?: FeedbackRelay | null;
}

/** The relay the routes use, read on first use (REDIS_URL is read then). */
function relayOf(opts: ServingRoutesOptions): () => FeedbackRelay | null {
  let relay: FeedbackRelay | null | undefined = opts.feedbackRelay;
  return () => (relay === undefined ? (relay = opts.monitor ? null : processFeedbackRelay()) : relay);
}

/** Health probes answer without a caller (a load balancer has no token); everything else needs one. */
const isHealthProbe = (path: string) => path === "/v2/health/live" || path === "/v2/health/ready";

export function servingRoutes(opts: ServingRoutesOptions): PrefixRoute<LeanHandler>[] {
  const service = createServingService(opts);
  const relay = relayOf(opts);
  relay(); // listening for forwarded feedback before this instance answers its first prediction
  const { sessionUser, securityHeaders } = opts;
  const authOptions = {
    db: opts.db,
    appOrigin: opts.origin,
    // Cookie sign-in as on the MLflow routes: better-auth reads a real Headers.
    sessionUser: sessionUser && ((headers: Headers) => sessionUser(headers instanceof NodeHeaders ? headers.toWeb() : headers)),
  };
  const handler: LeanHandler = async (req: IncomingMessage, res: ServerResponse) => {
    let overflowed = false;
    /** The whole body was read (then nothing is left to drain, whether or not 'end' was emitted yet). */
    let bodyRead = false;
    const method = req.method ?? "GET";
    const url = req.url ?? "/";
    let idHeader: HeaderList | undefined;
    const send = (status: number, body: unknown) =>
      sendJson(res, status, body, securityHeaders, {
        // A body left unread (refused before reading, or past the limit): close rather than drain it.
        close: overflowed || (!bodyRead && !req.readableEnded && method !== "GET" && method !== "HEAD"),
        acceptEncoding: req.headers["accept-encoding"],
        headers: idHeader,
      });
    let user: SessionUser | null = null;
    if (!isHealthProbe(pathOf(url))) {
      const headers = new NodeHeaders(req.headers).asHeaders();
      // A bearer token the cache knows: answered at once (each await of the request path costs promises,
      // which the AsyncLocalStorage hooks of Next's code in this process make dearer).
      user = authenticatedFromCache(headers, authOptions);
      if (!user)
        try {
          user = await authenticate({ method, headers }, authOptions, { requireJson: true });
        } catch (e) {
          if (!(e instanceof MlflowError)) throw e;
          return send(HTTP_STATUS[e.code], { error: e.message });
        }
    }
    // Every POST gets an id (x-request-id: a header, so TF Serving's bodies stay as they are), for
    // feedback; with Redis it names this instance, so that feedback sent to another reaches it.
    const requestId = method === "POST" ? (relay()?.newRequestId() ?? randomUUID()) : null;
    if (requestId) idHeader = [["x-request-id", requestId]];
    const monitored = user && requestId ? monitoredBackend(service.backendFor(user), { db: opts.db, user, requestId, method, url, monitor: opts.monitor }) : null;
    const backend = monitored ?? (user ? service.backendFor(user) : { findModel: () => null, predict: () => Promise.reject(new Error("unreachable")) });
    const bodyOf = (text: string) => {
      bodyRead = true;
      return { text, byteLength: Buffer.byteLength(text) };
    };
    const readBody = async () => {
      try {
        return bodyOf(await readBodyText(req, MAX_PREDICT_BODY_BYTES, () => (overflowed = true)));
      } catch (e) {
        if (e instanceof BodyTooLargeError) throw bodyOverLimitError();
        throw e;
      }
    };
    // A small body comes in the same packet as the headers, and Node's parser has it buffered once
    // this tick is over: taken then in one read (readBufferedBody), else read as a stream.
    const buffered = () => {
      const body = readBufferedBody(req, MAX_PREDICT_BODY_BYTES);
      return body ? bodyOf(body.toString("utf8")) : readBody();
    };
    let reply;
    try {
      reply = await answerServingRequest(
        { method, url, body: () => (req.readableLength > 0 ? buffered() : Promise.resolve().then(buffered)) },
        backend,
        { newId: randomUUID, server: { name: "cuaderno", version: "1" } },
      );
    } catch (e) {
      // The server's 500 keeps the request's id
      if (requestId && !res.headersSent) res.setHeader("x-request-id", requestId);
      throw e;
    }
    monitored?.replied(reply.status);
    return send(reply.status, reply.body);
  };
  return [
    { prefix: "/v1/models/", handler },
    { prefix: "/v2/", handler },
    // /api/serving/batch… (batch prediction, ./serving-batch-routes.ts); the rest: feedback.
    { prefix: "/api/serving/", handler: withBatchRoutes(feedbackHandler(opts, authOptions, relay), { service, authOptions, securityHeaders }) },
  ];
}

/**
 * POST /api/serving/feedback — ground truth for earlier predictions, by the x-request-id their
 * responses carried: `{"request_id": "...", "label": 0|1}`, `{"request_id": "...", "labels": [...]}`
 * (one per row) or `{"feedback": [those, ...]}` (≤ 1,000). Outside /v1/ and /v2/, so no TF Serving
 * or OIP path is taken. One item: 200 `{}`, or 404/400 `{"error"}` (503 when the instance that
 * answered the request cannot be reached); a list: 200 with each item's result.
 */
function feedbackHandler(opts: ServingRoutesOptions, authOptions: Parameters<typeof authenticate>[1], relay: () => FeedbackRelay | null): LeanHandler {
  return async (req, res) => {
    let overflowed = false;
    const method = req.method ?? "GET";
    const send = (status: number, body: unknown) =>
      sendJson(res, status, body, opts.securityHeaders, { close: overflowed || (!req.readableEnded && method !== "GET" && method !== "HEAD") });
    if (pathOf(req.url ?? "/") !== "/api/serving/feedback") return send(404, { error: "Not found" });
    if (method !== "POST") {
      res.setHeader("allow", "POST");
      return send(405, { error: "Use POST" });
    }
    let user: SessionUser;
    try {
      user = await authenticate({ method, headers: new NodeHeaders(req.headers).asHeaders() }, authOptions, { requireJson: true });
    } catch (e) {
      if (!(e instanceof MlflowError)) throw e;
      return send(HTTP_STATUS[e.code], { error: e.message });
    }
    let body;
    try {
      body = parseFeedbackBodyOrThrow(await readBodyText(req, FEEDBACK_LIMITS.bodyBytes, () => (overflowed = true)));
    } catch (e) {
      if (e instanceof BodyTooLargeError) return send(413, { error: `The body is larger than ${FEEDBACK_LIMITS.bodyBytes} bytes` });
      if (e instanceof FeedbackBodyError) return send(400, { error: e.message });
      throw e;
    }
    const forwarding = relay();
    const results = forwarding ? await forwarding.record(user, body.items) : recordFeedback(user, body.items, opts.monitor ?? processMonitor());
    if (!body.batch) {
      const r = results[0];
      if (r.ok) return send(200, {});
      return send(r.unavailable ? 503 : r.error.startsWith("No prediction") ? 404 : 400, { error: r.error });
    }
    return send(200, { accepted: results.filter((r) => r.ok).length, results: results.map((r) => (r.ok ? { request_id: r.requestId } : { request_id: r.requestId, error: r.error })) });
  };
}
