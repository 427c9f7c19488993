// MLflow's limits and value rules for tracking entities, shared by the REST layer and the UI
// router so both reject the same inputs with the same messages.
import { DomainError } from "@/lib/server/errors";
import { isStorableText } from "@/lib/server/json-limits";

export const LIMITS = {
  keyLength: 250,
  paramValueLength: 6000,
  tagValueLength: 8000,
  runNameLength: 250,
  experimentNameLength: 500,
  batchMetrics: 1000,
  batchParams: 100,
  batchTags: 100,
  batchTotal: 1000,
  searchMaxResults: 50_000,
  searchDefaultResults: 1000,
} as const;

export const RUN_STATUSES = ["RUNNING", "SCHEDULED", "FINISHED", "FAILED", "KILLED"] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];
export type ViewType = "ACTIVE_ONLY" | "DELETED_ONLY" | "ALL";

export interface MetricInput {
  key: string;
  value: number; // NaN and ±Infinity allowed
  timestamp: number; // ms since epoch
  step?: number;
}
export interface KeyValue {
  key: string;
  value: string;
}

/** A metric point as services return it (value decoded: NaN/±Infinity restored). */
export interface MetricPoint {
  key: string;
  value: number;
  timestamp: number;
  step: number;
}

// Prisma doesn't round-trip -Infinity (it comes back as +Infinity), so infinities are stored as
// a ±1e308 sentinel (MLflow's SQL store clamps them too; Number.MAX_VALUE itself overflows in
// PostgreSQL's text transfer) and NaN as isNan=true. Values at or beyond ±1e308 read as ±Infinity;
// sorting and comparisons in SQL and in memory stay right.
export const INFINITY_SENTINEL = 1e308;
export function encodeMetricValue(v: number): { value: number | null; isNan: boolean } {
  if (Number.isNaN(v)) return { value: null, isNan: true };
  if (v >= INFINITY_SENTINEL) return { value: INFINITY_SENTINEL, isNan: false };
  if (v <= -INFINITY_SENTINEL) return { value: -INFINITY_SENTINEL, isNan: false };
  return { value: v, isNan: false };
}

export function decodeMetricValue(value: number | null, isNan: boolean): number {
  if (isNan || value === null) return NaN;
  if (value >= INFINITY_SENTINEL) return Infinity;
  if (value <= -INFINITY_SENTINEL) return -Infinity;
  return value;
}

const invalid = (message: string) => new DomainError("invalidInput", message);

// MLflow's rule: names are path-safe (alphanumerics, _ - . space / :), no ".." segments.
const KEY_RE = /^[\w\-. /:]+$/u;
/** What a JSON value is, for messages (never the value itself: it may be huge or deeply nested). */
function jsonKind(v: unknown): string {
  return Array.isArray(v) ? "an array" : v === null ? "null" : typeof v === "object" ? "an object" : `a ${typeof v}`;
}

/**
 * A name or value stored as text: refuses NUL characters and unpaired surrogates, which
 * PostgreSQL cannot store (SQLite would keep them mangled), with the same 400 on both databases.
 */
export function checkStorableText(what: string, s: string): string {
  if (!isStorableText(s)) throw invalid(`Invalid ${what}: text may not contain NUL characters or unpaired UTF-16 surrogates`);
  return s;
}

/**
 * A param or tag value: a string, as MLflow's protobuf parsing requires (`value` is a proto
 * `string`; a JSON number, list or object fails ParseDict and then the handler's _assert_string).
 * Missing (undefined/null) is left to the caller.
 */
function stringValue(kind: "param" | "tag", key: string, v: unknown): string {
  if (typeof v !== "string") throw invalid(`Invalid value for ${kind} '${key}': expected a string, got ${jsonKind(v)}`);
  return checkStorableText(`${kind} value for '${key}'`, v);
}

export function validateKey(kind: "metric" | "param" | "tag", key: unknown): string {
  if (key !== undefined && key !== null && typeof key !== "string") throw invalid(`Invalid ${kind} key: expected a string, got ${jsonKind(key)}`);
  if (typeof key !== "string" || key.length === 0) throw invalid(`Missing value for required parameter 'key' of ${kind}`);
  checkStorableText(`${kind} key`, key);
  if (key.length > LIMITS.keyLength)
    throw invalid(`${kind} key '${key.slice(0, 40)}...' had length ${key.length}, which exceeded length limit of ${LIMITS.keyLength}`);
  if (kind !== "tag" && !KEY_RE.test(key))
    throw invalid(
      `Invalid ${kind} name: '${key}'. Names may only contain alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ), colon(:) and slashes (/).`,
    );
  if (key.split("/").includes("..") || key.startsWith("/")) throw invalid(`Invalid ${kind} name: '${key}'. Names may be treated as files in certain cases, and must not resolve to other names when treated as such.`);
  return key;
}

export function validateParam(p: { key?: unknown; value?: unknown }): KeyValue {
  const key = validateKey("param", p.key);
  if (p.value === undefined || p.value === null) throw invalid(`Missing value for required parameter 'value' of param '${key}'`);
  const value = stringValue("param", key, p.value);
  if (value.length > LIMITS.paramValueLength)
    throw invalid(`Param value '${value.slice(0, 40)}...' had length ${value.length}, which exceeded length limit of ${LIMITS.paramValueLength}`);
  return { key, value };
}

export function validateTag(t: { key?: unknown; value?: unknown }): KeyValue {
  const key = validateKey("tag", t.key);
  const value = t.value === undefined || t.value === null ? "" : stringValue("tag", key, t.value);
  if (value.length > LIMITS.tagValueLength)
    throw invalid(`Tag value '${value.slice(0, 40)}...' had length ${value.length}, which exceeded length limit of ${LIMITS.tagValueLength}`);
  return { key, value };
}

/** Accepts numbers and protobuf-JSON's "NaN", "Infinity", "-Infinity" (and numeric strings). */
export function toMetricNumber(v: unknown, what = "value"): number {
  if (typeof v === "number") return v;
  if (typeof v === "string") {
    if (v === "NaN") return NaN;
    if (v === "Infinity") return Infinity;
    if (v === "-Infinity") return -Infinity;
    if (v.trim() !== "" && Number.isFinite(Number(v))) return Number(v);
  }
  throw invalid(`Got invalid value ${JSON.stringify(v)} for metric ${what}. Expected a number.`);
}

/** int64 fields arrive as numbers or (protobuf JSON) numeric strings. */
export function toInt(v: unknown, name: string, opts: { required?: boolean } = {}): number | undefined {
  if (v === undefined || v === null || v === "") {
    if (opts.required) throw invalid(`Missing value for required parameter '${name}'.`);
    return undefined;
  }
  const n = typeof v === "number" ? v : typeof v === "string" && /^-?\d+$/.test(v.trim()) ? Number(v) : NaN;
  if (!Number.isSafeInteger(n)) throw invalid(`Invalid value ${JSON.stringify(v)} for parameter '${name}' supplied: expected an integer.`);
  return n;
}

/** `checkedKey`: m.key, already validated (validateMetrics). */
export function validateMetric(m: { key?: unknown; value?: unknown; timestamp?: unknown; step?: unknown }, checkedKey?: string): MetricInput {
  const key = checkedKey ?? validateKey("metric", m.key);
  if (m.value === undefined || m.value === null) throw invalid(`Missing value for required parameter 'value' of metric '${key}'.`);
  return {
    key,
    value: toMetricNumber(m.value),
    timestamp: toInt(m.timestamp, "timestamp", { required: true })!,
    step: toInt(m.step, "step") ?? 0,
  };
}

/**
 * The metrics of a batch. A batch repeats a few keys many times (1,000 points of 10 series), so
 * each distinct key string is validated once; every other check runs on every metric.
 */
export function validateMetrics(raw: readonly unknown[]): MetricInput[] {
  const keysSeen = new Set<string>();
  const out = new Array<MetricInput>(raw.length);
  for (let i = 0; i < raw.length; i++) {
    const m = (raw[i] ?? {}) as { key?: unknown; value?: unknown; timestamp?: unknown; step?: unknown };
    const k = m.key;
    const seen = typeof k === "string" && keysSeen.has(k);
    out[i] = validateMetric(m, seen ? k : undefined);
    if (!seen) keysSeen.add(out[i].key);
  }
  return out;
}

export function validateBatchSizes(n: { metrics: number; params: number; tags: number }): void {
  const over = (what: string, limit: number, got: number) =>
    invalid(`A batch logging request can contain at most ${limit} ${what}. Got ${got} ${what}. Please split up ${what} across multiple requests and try again.`);
  if (n.metrics > LIMITS.batchMetrics) throw over("metrics", LIMITS.batchMetrics, n.metrics);
  if (n.params > LIMITS.batchParams) throw over("params", LIMITS.batchParams, n.params);
  if (n.tags > LIMITS.batchTags) throw over("tags", LIMITS.batchTags, n.tags);
  const total = n.metrics + n.params + n.tags;
  if (total > LIMITS.batchTotal)
    throw invalid(`A batch logging request can contain at most ${LIMITS.batchTotal} metrics, params, and tags in total. Got ${total} total.`);
}
