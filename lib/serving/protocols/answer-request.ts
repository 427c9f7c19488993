// One serving request answered end to end, for the lean HTTP layer: the path parsed, the model
// looked up, the body decoded, the rows run, the answer (or the error) built — the same steps for
// TF Serving's /v1/models/ routes and the Open Inference Protocol's /v2/ routes. What is served to
// whom, which version "latest" means (the deployment policy) and how rows run (the engine) come in
// through ServingBackend, so this stays free of HTTP, the database and TensorFlow.js.
import { ProtocolError, type ProtocolReply, type StatusCode } from "./errors";
import { resolveServedVersionOrThrow, type ServedModel, type ServedVersion } from "./model";
import {
  decodeInferBodyOrThrow,
  oipInferResponseBody,
  oipModelMetadataBody,
  oipModelReadyBodyOrThrow,
  oipServerLiveReply,
  oipServerMetadataBody,
  oipServerReadyReply,
  resolveOipVersionOrThrow,
} from "./oip";
import { parseServingPathOrThrow, pathOf, type VersionSelector } from "./paths";
import { modelMetadataBodyOrThrow, modelStatusBodyOrThrow } from "./tf-model-status";
import { decodePredictBodyOrThrow, outputMatrixOrThrow, predictResponseBody, splitOutputsOrThrow, unsupportedMethodError } from "./tf-predict";

export interface ServingBackend {
  /** The model a path names, as this caller may see it; null when unknown or not shared with the caller (answered as not found). */
  findModel(name: string): Promise<ServedModel | null> | ServedModel | null;
  /** Runs feature rows on a version: one list of output values per row, or a rejection (engine errors are mapped by engineErrorToProtocol). */
  predict(model: ServedModel, version: ServedVersion, rows: number[][]): Promise<readonly (readonly number[])[]>;
  /** The version a request naming no version or label goes to (canary, A/B, ...); default: the newest AVAILABLE one. */
  routeLatest?(model: ServedModel): ServedVersion | null;
  /** For GET /v2/health/ready; default true. */
  serverReady?(): boolean;
}

export interface ServingRequest {
  method: string;
  /** The request URL as IncomingMessage.url gives it (path and query). */
  url: string;
  /**
   * Reads the body (only POST routes call it): its text and byte length — or a promise of them. Read
   * with a limit of MAX_PREDICT_BODY_BYTES and throw bodyOverLimitError() when it is passed.
   */
  body(): Promise<{ text: string; byteLength: number }> | { text: string; byteLength: number };
}

export interface AnswerOptions {
  /** An id for an inference response whose request sent none (KServe makes one up). */
  newId(): string;
  server?: { name: string; version: string };
}

/** The serving engine's ServingError codes (lib/serving/engine/errors.ts) as TF Serving status codes. */
const ENGINE_CODES: Record<string, StatusCode> = {
  "not-found": "NOT_FOUND",
  // A model file that is not a model: the model's fault, answered 400 like a failed precondition.
  "load-failed": "FAILED_PRECONDITION",
  "bad-input": "INVALID_ARGUMENT",
  "predict-failed": "INTERNAL",
  overloaded: "RESOURCE_EXHAUSTED",
  timeout: "DEADLINE_EXCEEDED",
  "worker-crashed": "UNAVAILABLE",
  closed: "UNAVAILABLE",
};

/** An engine failure as a ProtocolError with TF Serving's HTTP status; anything else is returned unchanged. */
export function engineErrorToProtocol(e: unknown): unknown {
  if (e instanceof ProtocolError) return e;
  const engineCode = e instanceof Error ? (e as Error & { code?: unknown }).code : undefined;
  if (typeof engineCode === "string" && Object.hasOwn(ENGINE_CODES, engineCode)) return new ProtocolError(ENGINE_CODES[engineCode], (e as Error).message);
  return e;
}

function servedVersionOrThrow(backend: ServingBackend, model: ServedModel | null, name: string, selector: VersionSelector): ServedVersion {
  if (selector.kind === "latest" && model && backend.routeLatest) {
    const routed = backend.routeLatest(model);
    if (routed && routed.state === "AVAILABLE") return routed;
  }
  return resolveServedVersionOrThrow(model, name, selector);
}

// A request's steps await only what is not there yet (a model or body the backend has at hand is
// taken as is): every await and async function adds promises, and each promise is paid again by
// the AsyncLocalStorage hooks that Next's code enables in the process serving these routes.
const isPromiseLike = <T>(v: T | PromiseLike<T>): v is PromiseLike<T> => typeof (v as { then?: unknown } | null)?.then === "function";

async function runOrThrow(backend: ServingBackend, model: ServedModel, version: ServedVersion, rows: number[][]) {
  try {
    return outputMatrixOrThrow(await backend.predict(model, version, rows));
  } catch (e) {
    throw engineErrorToProtocol(e);
  }
}

function replyOfError(e: unknown): ProtocolReply {
  const mapped = engineErrorToProtocol(e);
  if (mapped instanceof ProtocolError) return { status: mapped.status, body: mapped.body };
  throw e;
}

/**
 * The reply to a request under /v1/ or /v2/: a status and a JSON body (`{"error": ...}` on
 * failure). Errors that are not protocol or engine errors are thrown for the HTTP layer's 500.
 */
export function answerServingRequest(req: ServingRequest, backend: ServingBackend, options: AnswerOptions): Promise<ProtocolReply> {
  return answerOrThrow(req, backend, options).catch(replyOfError);
}

async function answerOrThrow(req: ServingRequest, backend: ServingBackend, options: AnswerOptions): Promise<ProtocolReply> {
  const route = parseServingPathOrThrow(req.method, pathOf(req.url));
  if (route.api === "tf") {
    if (route.kind === "classify" || route.kind === "regress") throw unsupportedMethodError(route.kind);
    const found = backend.findModel(route.name);
    const model = isPromiseLike(found) ? await found : found;
    if (route.kind === "status") return { status: 200, body: modelStatusBodyOrThrow(model, route.name, route.selector) };
    if (route.kind === "metadata") return { status: 200, body: modelMetadataBodyOrThrow(model, route.name, route.selector) };
    const version = servedVersionOrThrow(backend, model, route.name, route.selector);
    const read = req.body();
    const { text, byteLength } = isPromiseLike(read) ? await read : read;
    const { format, rows } = decodePredictBodyOrThrow(text, byteLength, version.signature);
    // runOrThrow inlined (one async function fewer)
    let outputs;
    try {
      outputs = await backend.predict(model!, version, rows);
    } catch (e) {
      throw engineErrorToProtocol(e);
    }
    return { status: 200, body: predictResponseBody(format, splitOutputsOrThrow(outputMatrixOrThrow(outputs), version.signature.outputs)) };
  }
  switch (route.kind) {
    case "server-live":
      return oipServerLiveReply(true);
    case "server-ready":
      return oipServerReadyReply(backend.serverReady ? backend.serverReady() : true);
    case "server-metadata":
      return { status: 200, body: oipServerMetadataBody(options.server?.name ?? "cuaderno", options.server?.version ?? "0") };
  }
  const found = backend.findModel(route.name);
  const model = isPromiseLike(found) ? await found : found;
  if (route.kind === "model-ready") return { status: 200, body: oipModelReadyBodyOrThrow(model, route.name, route.version) };
  let version = resolveOipVersionOrThrow(model, route.name, route.version);
  if (route.version === null && backend.routeLatest) {
    const routed = backend.routeLatest(model!);
    if (routed && routed.state === "AVAILABLE") version = routed;
  }
  if (route.kind === "model-metadata") return { status: 200, body: oipModelMetadataBody(model!, version) };
  const read = req.body();
  const { text, byteLength } = isPromiseLike(read) ? await read : read;
  const request = decodeInferBodyOrThrow(text, byteLength, version.signature, route.name);
  const matrix = await runOrThrow(backend, model!, version, request.rows);
  const outputs = splitOutputsOrThrow(matrix, version.signature.outputs);
  return { status: 200, body: oipInferResponseBody({ modelName: route.name, version, request, outputs, fallbackId: options.newId() }) };
}
