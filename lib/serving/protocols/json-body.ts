// Request bodies of the serving routes: bounded before anything walks them (size from the byte
// length the HTTP layer counted, nesting with one linear scan), parsed strictly, and quoted in
// error messages the way TF Serving quotes JSON (tensorflow/serving
// tensorflow_serving/util/json_tensor.cc: ParseJson, JsonValueToDebugString, JsonTypeString).
import { jsonTextDepth } from "@/lib/server/json-limits";
import { invalidArgument, ProtocolError } from "./errors";

/** Largest predict/infer body: below 10 MB, so a 10 MB body is refused (issue 13, point 9). */
export const MAX_PREDICT_BODY_BYTES = 8 * 1024 * 1024;
/** Nesting a tensor request may have: a rank-8 tensor inside `{"instances": [{"x": ...}]}` fits. */
export const MAX_PREDICT_JSON_DEPTH = 12;

/** 413 for a body over the limit, given the byte length the HTTP layer read or was told; null when it fits. */
export function bodySizeError(byteLength: number, maxBytes = MAX_PREDICT_BODY_BYTES): ProtocolError | null {
  if (byteLength <= maxBytes) return null;
  // TF Serving reads any size; a class server answers Payload Too Large with the same error body.
  return new ProtocolError("RESOURCE_EXHAUSTED", `Request body of ${byteLength} bytes is larger than the limit of ${maxBytes} bytes`, 413);
}

/** 413 when the HTTP layer stopped reading past the limit and does not know the whole length. */
export function bodyOverLimitError(maxBytes = MAX_PREDICT_BODY_BYTES): ProtocolError {
  return new ProtocolError("RESOURCE_EXHAUSTED", `Request body is larger than the limit of ${maxBytes} bytes`, 413);
}

/**
 * The offset of a bare NaN, Infinity or -Infinity token outside strings, or -1. TF Serving's
 * parser takes these tokens (kParseNanAndInfFlag); this server refuses them with a clear message,
 * since a model's features must be finite. Called only once JSON.parse has failed.
 */
export function nonFiniteTokenOffset(text: string): number {
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \ */) i++;
      else if (c === 0x22 /* " */) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x4e /* N */ && text.startsWith("NaN", i)) return i;
    else if (c === 0x49 /* I */ && text.startsWith("Infinity", i)) return i > 0 && text.charCodeAt(i - 1) === 0x2d /* - */ ? i - 1 : i;
  }
  return -1;
}

/** The first word of a V8 JSON.parse message, with its position when V8 gives one. */
function parseErrorText(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  // V8 quotes up to ~30 characters of the body; keep the message short and on one line.
  return message.length > 200 ? `${message.slice(0, 200)}…` : message;
}

/**
 * Parses a request body as TF Serving's ParseJson does: empty → "The document is empty", invalid →
 * "JSON Parse error: ...", anything but an object at the top → "JSON Value: ... Is not object".
 */
export function parseJsonObjectOrThrow(text: string, maxDepth = MAX_PREDICT_JSON_DEPTH): Record<string, unknown> {
  if (text.length === 0 || text.trim().length === 0) throw invalidArgument("JSON Parse error: The document is empty");
  const depth = jsonTextDepth(text, maxDepth);
  if (depth > maxDepth) throw invalidArgument(`JSON Parse error: The document nests deeper than ${maxDepth} levels`);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    const at = nonFiniteTokenOffset(text);
    if (at >= 0) {
      const token = text.startsWith("NaN", at) ? "NaN" : text.startsWith("-", at) ? "-Infinity" : "Infinity";
      throw invalidArgument(`JSON Parse error: ${token} at offset: ${at} is not accepted; every value must be a finite number`);
    }
    throw invalidArgument(`JSON Parse error: ${parseErrorText(e)}`);
  }
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) throw invalidArgument(`JSON Value: ${jsonDebugString(doc)} Is not object`);
  return doc as Record<string, unknown>;
}

/** rapidjson's type names as TF Serving prints them (JsonTypeString). */
export function jsonTypeString(v: unknown): string {
  if (v === null || v === undefined) return "Null";
  if (v === false) return "False";
  if (v === true) return "True";
  if (Array.isArray(v)) return "Array";
  if (typeof v === "object") return "Object";
  if (typeof v === "string") return "String";
  return "Number";
}

const MAX_DEBUG_CHARS = 256; // json_tensor.cc kMaxJsonDebugStringBytes

function numberText(n: number): string {
  return Number.isFinite(n) ? String(n) : Number.isNaN(n) ? "NaN" : n > 0 ? "Infinity" : "-Infinity";
}

/**
 * A JSON value on one line, cut at 256 characters as TF Serving's JsonValueToDebugString cuts its
 * output (arrays as `[1, 2]`, as rapidjson's kFormatSingleLineArray writes them). Iterative, and
 * stops as soon as the limit is reached, so a huge value costs no more than a small one.
 */
export function jsonDebugString(value: unknown): string {
  let out = "";
  // Work items: a value to write, or a literal piece of punctuation.
  const stack: ({ v: unknown } | { s: string })[] = [{ v: value }];
  while (stack.length && out.length < MAX_DEBUG_CHARS) {
    const item = stack.pop()!;
    if ("s" in item) {
      out += item.s;
      continue;
    }
    const v = item.v;
    if (typeof v === "number") out += numberText(v);
    else if (typeof v === "string") out += JSON.stringify(v.length > MAX_DEBUG_CHARS ? v.slice(0, MAX_DEBUG_CHARS) : v);
    else if (v === null || v === undefined) out += "null";
    else if (typeof v === "boolean") out += String(v);
    else if (Array.isArray(v)) {
      out += "[";
      stack.push({ s: "]" });
      const n = Math.min(v.length, MAX_DEBUG_CHARS);
      for (let i = n - 1; i >= 0; i--) {
        stack.push({ v: v[i] });
        if (i > 0) stack.push({ s: ", " });
      }
    } else if (typeof v === "object") {
      out += "{";
      stack.push({ s: "}" });
      const keys = Object.keys(v);
      const n = Math.min(keys.length, MAX_DEBUG_CHARS);
      for (let i = n - 1; i >= 0; i--) {
        stack.push({ v: (v as Record<string, unknown>)[keys[i]] });
        stack.push({ s: `${JSON.stringify(keys[i].slice(0, MAX_DEBUG_CHARS))}: ` });
        if (i > 0) stack.push({ s: ", " });
      }
    } else out += String(v);
  }
  return out.length > MAX_DEBUG_CHARS ? out.slice(0, MAX_DEBUG_CHARS) : out;
}
