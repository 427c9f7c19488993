// The MLflow REST API and artifact proxy as lean routes: the same code as the Next route files
// under app/api/2.0/. The tracking API (the hot path: log-metric, log-batch) calls
// handleMlflowCall with a plain view of the Node request and writes its plain reply; the
// artifact proxy (binary uploads and downloads) gets a real Request with a streamed body.
import type { IncomingMessage, ServerResponse } from "node:http";
import { handleMlflowCall, type MlflowCall } from "@/lib/server/services/tracking/mlflow-rest";
import { handleMlflowArtifactsRequest, type ArtifactsRequestOptions } from "@/lib/server/services/tracking/mlflow-rest/artifacts-proxy";
import type { LeanHandler } from "./app-server";
import { NodeHeaders, readBodyText, sendJson, sendResponse, toWebRequest, type HeaderList } from "./node-adapter";
import type { PrefixRoute } from "./router";

export interface MlflowRoutesOptions extends ArtifactsRequestOptions {
  /** Makes request URLs absolute (the services read only their path and query). */
  origin: string;
  securityHeaders: HeaderList;
}

function trackingHandler(opts: MlflowRoutesOptions): LeanHandler {
  const { sessionUser, securityHeaders, origin } = opts;
  const serviceOptions = {
    db: opts.db,
    // Cookie sign-in works as on the Next routes: better-auth reads a real Headers.
    sessionUser: sessionUser && ((headers: Headers) => sessionUser(headers instanceof NodeHeaders ? headers.toWeb() : headers)),
  };
  return async (req: IncomingMessage, res: ServerResponse) => {
    let overflowed = false;
    const call: MlflowCall = {
      method: req.method ?? "GET",
      url: origin + (req.url ?? "/"),
      headers: new NodeHeaders(req.headers).asHeaders(),
      text: (maxBytes) => readBodyText(req, maxBytes, () => (overflowed = true)),
    };
    const reply = await handleMlflowCall(call, serviceOptions);
    await sendJson(res, reply.status, reply.body, securityHeaders, { close: overflowed, acceptEncoding: req.headers["accept-encoding"] });
  };
}

function artifactsHandler(opts: MlflowRoutesOptions): LeanHandler {
  const { sessionUser, securityHeaders, origin } = opts;
  const serviceOptions: ArtifactsRequestOptions = { db: opts.db, ...(sessionUser ? { sessionUser } : {}), ...(opts.store ? { store: opts.store } : {}) };
  return async (req: IncomingMessage, res: ServerResponse) => {
    const response = await handleMlflowArtifactsRequest(toWebRequest(req, origin), serviceOptions);
    // An upload refused before its body was read (too large, no access): close, don't drain it.
    await sendResponse(res, response, securityHeaders, { close: !req.readableEnded && req.method !== "GET" && req.method !== "HEAD" });
  };
}

/** The lean routes for the MLflow API, under both prefixes MLflow clients and its web UI use. */
export function mlflowRoutes(opts: MlflowRoutesOptions): PrefixRoute<LeanHandler>[] {
  const api = trackingHandler(opts);
  const artifacts = artifactsHandler(opts);
  return [
    { prefix: "/api/2.0/mlflow/", handler: api },
    { prefix: "/ajax-api/2.0/mlflow/", handler: api },
    { prefix: "/api/2.0/mlflow-artifacts/", handler: artifacts },
    { prefix: "/ajax-api/2.0/mlflow-artifacts/", handler: artifacts },
  ];
}
