// The serving routes' paths, parsed without regular expressions (one split, bounded lengths):
// TensorFlow Serving's REST API under /v1/models/ (tensorflow/serving
// tensorflow_serving/model_servers/http_rest_api_util.cc: kPredictionApiGegex, kModelStatusApiRegex,
// ParseModelInfo) and the Open Inference Protocol v2 under /v2/ (kserve/open-inference-protocol
// specification/protocol/inference_rest.md, the API table).
import { invalidArgument, ProtocolError } from "./errors";

/** Longest model name or version label, after percent-decoding. */
export const MAX_NAME_LENGTH = 256;
/** Longest path looked at; longer ones are malformed (a 256-character name percent-encoded is at most 2,304). */
export const MAX_PATH_LENGTH = 8192;

/** Which version a TF Serving request names: the latest, a number, or a label (an alias). */
export type VersionSelector = { kind: "latest" } | { kind: "version"; version: number } | { kind: "label"; label: string };

export type TfServingRoute =
  | { api: "tf"; kind: "status" | "metadata"; name: string; selector: VersionSelector }
  | { api: "tf"; kind: "predict" | "classify" | "regress"; name: string; selector: VersionSelector };

export type OipRoute =
  | { api: "v2"; kind: "server-metadata" | "server-live" | "server-ready" }
  | { api: "v2"; kind: "model-metadata" | "model-ready" | "infer"; name: string; version: string | null };

export type ServingRoute = TfServingRoute | OipRoute;

/** The path part of a request URL (as IncomingMessage.url gives it): the query and fragment cut off. */
export function pathOf(url: string): string {
  let end = url.length;
  const q = url.indexOf("?");
  if (q >= 0) end = q;
  const h = url.indexOf("#");
  if (h >= 0 && h < end) end = h;
  return url.slice(0, end);
}

function quotedPath(path: string): string {
  return path.length > 300 ? `${path.slice(0, 300)}…` : path;
}

function malformed(method: string, path: string): ProtocolError {
  // http_rest_api_handler.cc ProcessRequest: the status every unmatched request keeps.
  return invalidArgument(`Malformed request: ${method.slice(0, 16)} ${quotedPath(path)}`);
}

function hasControlCharacter(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return true;
  }
  return false;
}

/**
 * A percent-decoded name or label, or null when it cannot be decoded or is not a usable name
 * (empty, longer than MAX_NAME_LENGTH, a control character, an unpaired surrogate).
 */
export function decodeName(raw: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    return null;
  }
  if (decoded.length === 0 || decoded.length > MAX_NAME_LENGTH || hasControlCharacter(decoded) || !decoded.isWellFormed()) return null;
  return decoded;
}

function decodeNameOrThrow(raw: string, what: "model name" | "model version label"): string {
  const name = decodeName(raw);
  if (name === null) {
    // ParseModelInfo: "Failed to decode model name:" (no space), then the raw text.
    throw invalidArgument(`Failed to decode ${what}:${raw.slice(0, MAX_NAME_LENGTH)}${raw.length > MAX_NAME_LENGTH ? "…" : ""} (a name is 1 to ${MAX_NAME_LENGTH} printable characters)`);
  }
  return name;
}

function isDigits(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}

/** A `(\d+)` version segment as a number; "Failed to convert version" when it does not fit (absl::SimpleAtoi on int64). */
function versionOrThrow(digits: string): number {
  const v = digits.length <= 16 ? Number(digits) : Infinity;
  if (!Number.isSafeInteger(v)) throw invalidArgument(`Failed to convert version: ${digits.slice(0, 40)} to numeric.`);
  return v;
}

const eqIgnoreCase = (a: string, b: string) => a.length === b.length && a.toLowerCase() === b;

/**
 * `[/versions/N | /labels/L]` after the model name, as segments; null when they are not that shape.
 * The keywords match case-insensitively, as TF Serving's `(?i)` patterns do.
 */
function selectorOf(segments: readonly string[]): VersionSelector | null | "bad-version" {
  if (segments.length === 0) return { kind: "latest" };
  if (segments.length !== 2) return null;
  const [keyword, value] = segments;
  if (eqIgnoreCase(keyword, "versions")) return isDigits(value) ? { kind: "version", version: versionOrThrow(value) } : "bad-version";
  if (eqIgnoreCase(keyword, "labels")) return value.length > 0 ? { kind: "label", label: decodeNameOrThrow(value, "model version label") } : null;
  return null;
}

const V1_MODELS = "/v1/models";

/** A TF Serving REST path (`/v1/...`); throws the ProtocolError TF Serving answers for a path it does not serve. */
export function parseTfServingPathOrThrow(method: string, path: string): TfServingRoute {
  if (path.length > MAX_PATH_LENGTH || !eqIgnoreCase(path.slice(0, V1_MODELS.length), V1_MODELS)) throw malformed(method, path);
  const rest = path.slice(V1_MODELS.length);
  if (method === "POST") {
    // `/v1/models/([^/:]+)(?:(?:/versions/(\d+))|(?:/labels/([^/:]+)))?:(classify|regress|predict)`
    const colon = rest.indexOf(":");
    if (colon < 0 || !rest.startsWith("/")) throw malformed(method, path);
    const verb = rest.slice(colon + 1);
    const segments = rest.slice(1, colon).split("/");
    // The pattern is case-insensitive, but the handler compares the verb in lower case.
    if (verb !== "predict" && verb !== "classify" && verb !== "regress") throw malformed(method, path);
    if (segments[0].length === 0) throw malformed(method, path);
    const selector = selectorOf(segments.slice(1));
    if (selector === null || selector === "bad-version") throw malformed(method, path);
    return { api: "tf", kind: verb, name: decodeNameOrThrow(segments[0], "model name"), selector };
  }
  if (method === "GET") {
    // `/v1/models(?:/([^/:]+))?(?:(?:/versions/(\d+))|(?:/labels/([^/:]+)))?(?:\/(metadata))?`
    if (rest.length === 0) throw invalidArgument("Missing model name in request.");
    if (!rest.startsWith("/") || rest.includes(":")) throw malformed(method, path);
    const segments = rest.slice(1).split("/");
    if (segments.some((s) => s.length === 0)) throw malformed(method, path);
    let kind: "status" | "metadata" = "status";
    // "/v1/models/metadata" is the status of a model named "metadata" (the name group comes first).
    if (segments.length > 1 && eqIgnoreCase(segments[segments.length - 1], "metadata")) {
      kind = "metadata";
      segments.pop();
    }
    const selector = selectorOf(segments.slice(1));
    if (selector === null || selector === "bad-version") throw malformed(method, path);
    return { api: "tf", kind, name: decodeNameOrThrow(segments[0], "model name"), selector };
  }
  throw malformed(method, path);
}

function v2NotFound(path: string): ProtocolError {
  return new ProtocolError("NOT_FOUND", `Not Found: ${quotedPath(path)}`);
}

function methodNotAllowed(method: string, allowed: "GET" | "POST"): ProtocolError {
  return new ProtocolError("UNIMPLEMENTED", `Method Not Allowed: ${method.slice(0, 16)} (use ${allowed})`, 405);
}

function decodeV2NameOrThrow(raw: string, what: "model name" | "model version"): string {
  const name = decodeName(raw);
  if (name === null) throw invalidArgument(`Invalid ${what} in the path: a ${what} is 1 to ${MAX_NAME_LENGTH} printable characters`);
  return name;
}

/** An Open Inference Protocol v2 path; throws 404 for a path it does not serve, 405 for the wrong method. */
export function parseOipPathOrThrow(method: string, path: string): OipRoute {
  if (path.length > MAX_PATH_LENGTH || !(path === "/v2" || path.startsWith("/v2/"))) throw v2NotFound(path);
  const segments = path.slice(4).split("/");
  if (segments.length > 1 && segments[segments.length - 1] === "") segments.pop(); // one trailing slash
  const expect = (allowed: "GET" | "POST") => {
    if (method !== allowed && !(allowed === "GET" && method === "HEAD")) throw methodNotAllowed(method, allowed);
  };
  if (segments.length === 1 && segments[0] === "") {
    expect("GET");
    return { api: "v2", kind: "server-metadata" };
  }
  if (segments[0] === "health" && segments.length === 2 && (segments[1] === "live" || segments[1] === "ready")) {
    expect("GET");
    return { api: "v2", kind: segments[1] === "live" ? "server-live" : "server-ready" };
  }
  if (segments[0] !== "models" || segments.length < 2 || segments.length > 5 || segments[1] === "") throw v2NotFound(path);
  // models/{name}[/versions/{v}][/ready | /infer]
  let tail = segments.slice(2);
  let version: string | null = null;
  if (tail.length >= 2 && tail[0] === "versions") {
    if (tail[1] === "") throw v2NotFound(path);
    version = decodeV2NameOrThrow(tail[1], "model version");
    tail = tail.slice(2);
  }
  if (tail.length > 1) throw v2NotFound(path);
  const name = decodeV2NameOrThrow(segments[1], "model name");
  if (tail.length === 0) {
    expect("GET");
    return { api: "v2", kind: "model-metadata", name, version };
  }
  if (tail[0] === "ready") {
    expect("GET");
    return { api: "v2", kind: "model-ready", name, version };
  }
  if (tail[0] === "infer") {
    expect("POST");
    return { api: "v2", kind: "infer", name, version };
  }
  throw v2NotFound(path);
}

/** Either API by its prefix; the path must already be cut at `?` (pathOf). */
export function parseServingPathOrThrow(method: string, path: string): ServingRoute {
  return path.startsWith("/v2") ? parseOipPathOrThrow(method, path) : parseTfServingPathOrThrow(method, path);
}
