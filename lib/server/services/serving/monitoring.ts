// Live monitoring of the served models (issue 13, point 5), server side: one TrafficRecorder per
// process (lib/serving/monitoring) fed by a wrapper around the serving backend — each prediction's
// latency, failure, input rows and scores, under the request id the response's `x-request-id`
// header carries; ground truth joined later by that id (the feedback route); and the
// `monitoring.endpointStats` query for the model's owner and the instructors who oversee it
// (./access.ts: of a class a version's run is filed under, or one the owner is a student of).
//
// A version is followed under `<ownerId>/<name>#<version>`, the same whoever calls it. Its training
// reference (ModelVersion.trainingReference) and decision threshold (its signature) are read from
// the database at most once a minute per version. Stats and alerts live in this process's memory;
// with REDIS_URL the traffic counts and shadow comparisons of every instance are summed through
// Redis (./shared-metrics.ts), and so are the feedback counts; a prediction waits for its feedback
// in the instance that answered it, which feedback sent to another instance reaches through
// ./feedback-relay.ts. So is drift: the live inputs are counted in the reference's bins and PSI/KS
// and alerts computed from every instance's counts (./shared-metrics.ts). A raised drift alert is written to the owner's
// notifications (./drift-notifications.ts).
import type { Db } from "@/lib/server/db";
import type { SessionUser } from "@/lib/server/auth";
import { DomainError } from "@/lib/server/errors";
import { processWide } from "@/lib/server/process-wide";
import { modelNotFound, parseModelRef, writableModelIdOrThrow } from "@/lib/server/services/registry/access";
import { overseenModelWhere } from "./access";
import { shadowComparison, type ShadowComparison } from "./shadow";
import { signatureFromText } from "@/lib/server/services/registry/signature";
import type { SignedInContext } from "@/lib/server/services/context";
import type { ServingBackend } from "@/lib/serving/protocols/answer-request";
import { resolveServedVersionOrThrow, type ServedModel, type ServedVersion } from "@/lib/serving/protocols/model";
import { resolveOipVersionOrThrow } from "@/lib/serving/protocols/oip";
import { parseServingPathOrThrow, pathOf } from "@/lib/serving/protocols/paths";
import { parseTrainingReferenceOrThrow, ReferenceError, trainingReferenceFromText } from "@/lib/serving/monitoring/reference";
import { TrafficRecorder, type EndpointStats, type FeedbackResult } from "@/lib/serving/monitoring/recorder";
import type { DriftAlert } from "@/lib/serving/monitoring/drift-check";
import { sharedTraffic, type StoredSecond } from "@/lib/serving/monitoring/shared-buckets";
import { processSharedMetrics, type SharedMetrics } from "./shared-metrics";
import { notifyDriftAlerts, rememberKeyDb } from "./drift-notifications";

/** The process's recorder (Next's bundle and the lean layer share it). */
export const processMonitor = (): TrafficRecorder =>
  processWide("servingMonitor", () => {
    const recorder = new TrafficRecorder();
    const shared = processSharedMetrics(recorder); // with REDIS_URL: its counts pushed every second, drift over every instance (./shared-metrics.ts)
    notifyDriftAlerts(recorder, undefined, undefined, shared ? (key, alert) => shared.claimAlert(key, alert) : undefined); // a raised drift alert becomes the owner's notification (./drift-notifications.ts)
    return recorder;
  });

export const monitorKey = (ownerId: string, name: string, version: number) => `${ownerId}/${name}#${version}`;

/** The owner id in a key (the part before the first '/'; ids have none). */
const ownerOfKey = (key: string) => key.slice(0, key.indexOf("/"));

const META_REFRESH_MS = 60_000;
const META_MAX = 10_000;
/** When each key's reference and threshold were last read, per process. */
const metaOf = (): Map<string, { at: number; threshold: number | undefined; loading: boolean }> => processWide("servingMonitorMeta", () => new Map());

async function loadMeta(db: Db, monitor: TrafficRecorder, key: string, ownerId: string, name: string, version: number) {
  const meta = metaOf();
  const entry = meta.get(key) ?? { at: 0, threshold: undefined, loading: false };
  if (meta.size >= META_MAX && !meta.has(key)) meta.clear();
  entry.loading = true;
  meta.set(key, entry);
  try {
    const row = await db.modelVersion.findFirst({
      where: { version, model: { ownerId, name } },
      select: { trainingReference: true, signature: true },
    });
    const text = row?.trainingReference ?? "";
    monitor.setReference(key, trainingReferenceFromText(text), text);
    entry.threshold = signatureFromText(row?.signature ?? null)?.threshold ?? undefined;
    entry.at = Date.now();
  } finally {
    entry.loading = false;
  }
}

/** Starts re-reading a key's reference and threshold when they are older than a minute; never waits. */
function refreshMeta(db: Db, monitor: TrafficRecorder, key: string, ownerId: string, name: string, version: number): number | undefined {
  const entry = metaOf().get(key);
  if (!entry || (!entry.loading && Date.now() - entry.at >= META_REFRESH_MS)) {
    loadMeta(db, monitor, key, ownerId, name, version).catch(() => {}); // monitoring never fails a prediction
  }
  return entry?.threshold;
}

export interface MonitoredRequest {
  db: Db;
  user: SessionUser;
  /** The id the response's x-request-id header gives the caller, for feedback. */
  requestId: string;
  /** The request line, to tell which version a request refused before the model was for. */
  method?: string;
  url?: string;
  monitor?: TrafficRecorder;
  now?: () => number;
}

export interface MonitoredBackend extends ServingBackend {
  /**
   * After the answer: a predict or infer request refused before it reached the model (a bad body,
   * a body too large) counts as an error of the version it was for, untimed. Requests for an
   * unknown model or version count nowhere.
   */
  replied(status: number): void;
}

function keyOf(req: MonitoredRequest, model: ServedModel, version: number) {
  const ref = parseModelRef({ db: req.db, user: req.user }, model.name);
  return { key: monitorKey(ref.ownerId, ref.name, version), ownerId: ref.ownerId, name: ref.name };
}

/** The version a request was for, as answer-request resolved it; null when it names none that is available. */
function requestedVersion(req: MonitoredRequest, model: ServedModel, routed: ServedVersion | null): ServedVersion | null {
  if (!req.method || !req.url) return null;
  try {
    const route = parseServingPathOrThrow(req.method, pathOf(req.url));
    let version: ServedVersion | null = null;
    if (route.api === "tf" && route.kind === "predict") version = route.selector.kind === "latest" && routed ? routed : resolveServedVersionOrThrow(model, route.name, route.selector);
    else if (route.api === "v2" && route.kind === "infer") version = route.version === null && routed ? routed : resolveOipVersionOrThrow(model, route.name, route.version);
    return version && version.state === "AVAILABLE" ? version : null;
  } catch {
    return null;
  }
}

const isPromiseLike = <T>(v: T | PromiseLike<T>): v is PromiseLike<T> => typeof (v as { then?: unknown } | null)?.then === "function";

/** The backend with every prediction recorded (time at the model, failure, rows and scores); answers are unchanged. */
export function monitoredBackend(backend: ServingBackend, req: MonitoredRequest): MonitoredBackend {
  const monitor = req.monitor ?? processMonitor();
  const now = req.now ?? (() => performance.now());
  let found: ServedModel | null = null;
  let routed: ServedVersion | null = null;
  let reachedModel = false;
  return {
    findModel(name) {
      // As the backend answers: at once when it has the model cached (no promise to pay for).
      const model = backend.findModel(name);
      if (isPromiseLike(model)) return Promise.resolve(model).then((m) => (found = m));
      found = model;
      return model;
    },
    ...(backend.routeLatest
      ? {
          routeLatest: (model: ServedModel) => {
            routed = backend.routeLatest!(model);
            return routed;
          },
        }
      : {}),
    ...(backend.serverReady ? { serverReady: () => backend.serverReady!() } : {}),
    // No async function (one .then instead: every promise of a request is paid again by the
    // AsyncLocalStorage hooks Next enables in this process); what is recorded is the same.
    predict(model, version, rows) {
      reachedModel = true;
      let key: string, threshold: number | undefined, started: number, answer: Promise<readonly (readonly number[])[]>;
      try {
        const ref = keyOf(req, model, version.version);
        key = ref.key;
        rememberKeyDb(key, req.db);
        threshold = refreshMeta(req.db, monitor, key, ref.ownerId, ref.name, version.version);
      } catch (e) {
        return Promise.reject(e);
      }
      started = now();
      const recordFailure = () => monitor.record(key, { latencyMs: now() - started, error: true, rows });
      const failed = (e: unknown) => {
        recordFailure();
        throw e;
      };
      try {
        answer = backend.predict(model, version, rows);
      } catch (e) {
        recordFailure();
        return Promise.reject(e);
      }
      return answer.then((outputs) => {
        try {
          monitor.record(key, { latencyMs: now() - started, rows, outputs, requestId: req.requestId, callerId: req.user.id, threshold });
        } catch (e) {
          failed(e);
        }
        return outputs;
      }, failed);
    },
    replied(status) {
      if (reachedModel || status < 400 || !found) return;
      const version = requestedVersion(req, found, routed);
      if (version) monitor.record(keyOf(req, found, version.version).key, { error: true });
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Feedback
// ---------------------------------------------------------------------------------------------

export const FEEDBACK_LIMITS = { items: 1000, requestIdLength: 128, bodyBytes: 1024 * 1024 } as const;

export interface FeedbackItem {
  requestId: string;
  labels: number[];
}

/** `unavailable`: the instance that answered the request could not be reached (./feedback-relay.ts); try again. */
export type FeedbackOutcome = { requestId: string; ok: true } | { requestId: string; ok: false; error: string; unavailable?: true };

/**
 * Ground truth for earlier predictions. A request's feedback is taken from the caller who made
 * it or the model's owner; anyone else is told the id is unknown (as for an id never seen).
 */
export function recordFeedback(user: Pick<SessionUser, "id">, items: readonly FeedbackItem[], monitor: TrafficRecorder = processMonitor()): FeedbackOutcome[] {
  return items.map(({ requestId, labels }) => {
    const pending = monitor.pendingFor(requestId);
    const unknown = { requestId, ok: false as const, error: `No prediction awaiting feedback with request_id ${JSON.stringify(requestId.slice(0, 128))} (unknown, already labelled, or too old)` };
    if (!pending || (pending.callerId !== user.id && ownerOfKey(pending.key) !== user.id)) return unknown;
    const r: FeedbackResult = monitor.feedback(requestId, labels);
    if (r.ok) return { requestId, ok: true };
    if (r.reason === "rows") return { requestId, ok: false, error: `The request had ${pending.scores.length} row(s): send 'labels' with one 0/1 label per row` };
    if (r.reason === "label") return { requestId, ok: false, error: "Labels must be 0 or 1" };
    return unknown;
  });
}

/** A feedback body: `{"request_id", "label"}`, `{"request_id", "labels": [...]}`, or `{"feedback": [those, ...]}`; throws a message. */
export function parseFeedbackBodyOrThrow(text: string): { batch: boolean; items: FeedbackItem[] } {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new FeedbackBodyError("The body is not valid JSON");
  }
  if (!body || typeof body !== "object" || Array.isArray(body)) throw new FeedbackBodyError('Expected a JSON object: {"request_id": "...", "label": 0|1} or {"feedback": [...]}');
  const batch = "feedback" in body;
  const list = batch ? (body as { feedback: unknown }).feedback : [body];
  if (!Array.isArray(list) || list.length === 0) throw new FeedbackBodyError("'feedback' must be a non-empty list");
  if (list.length > FEEDBACK_LIMITS.items) throw new FeedbackBodyError(`At most ${FEEDBACK_LIMITS.items} feedback items per request`);
  const items = list.map((item, i) => {
    const where = batch ? `feedback[${i}]: ` : "";
    if (!item || typeof item !== "object") throw new FeedbackBodyError(`${where}expected an object`);
    const { request_id: id, label, labels } = item as Record<string, unknown>;
    if (typeof id !== "string" || id.length === 0 || id.length > FEEDBACK_LIMITS.requestIdLength) throw new FeedbackBodyError(`${where}'request_id' must be a string of 1 to ${FEEDBACK_LIMITS.requestIdLength} characters`);
    if ((label === undefined) === (labels === undefined)) throw new FeedbackBodyError(`${where}send either 'label' (0 or 1) or 'labels' (one 0/1 per row)`);
    const values = labels === undefined ? [label] : labels;
    if (!Array.isArray(values) || values.length === 0 || values.length > 10_000 || values.some((v) => v !== 0 && v !== 1)) throw new FeedbackBodyError(`${where}labels must be 0 or 1`);
    return { requestId: id, labels: values as number[] };
  });
  return { batch, items };
}

export class FeedbackBodyError extends Error {}

// ---------------------------------------------------------------------------------------------
// Stats
// ---------------------------------------------------------------------------------------------

/** A stats read re-runs every feature's drift tests when the last full run is older (many viewers, one run). */
const DRIFT_READ_MAX_AGE_MS = 2000;

export const STATS_LIMITS = { versions: 50, minWindowSeconds: 10, maxWindowSeconds: 600 } as const;

export interface VersionStats {
  version: number;
  /** Null when this process has seen no request for the version (since it started, or since it was dropped). */
  stats: EndpointStats | null;
}

export interface ModelStats {
  model: string;
  windowSeconds: number;
  versions: VersionStats[];
  /** Alerts of every version, newest first. */
  alerts: (DriftAlert & { version: number; active: boolean })[];
  /**
   * "shared": requests, errors, latency and predictions summed over every instance through Redis
   * (REDIS_URL), and so are the feedback counts and the shadow comparison's counts; "local": this
   * instance's only (no Redis, or Redis not answering). Drift and alerts, when shared, are computed
   * from every instance's binned inputs (./shared-metrics.ts evaluateDrift).
   */
  traffic: "shared" | "local";
  /** In shadow mode (or after it): the candidate's copies compared with the live answers (./shadow.ts); with Redis summed over every instance. */
  shadow: (ShadowComparison & { disagreementRate: number | null }) | null;
}

/** The model if the caller owns it or oversees it (an instructor: ./access.ts); notFound otherwise, as for a model that does not exist. */
async function overseenModelOrThrow(ctx: SignedInContext, requested: string): Promise<{ id: string; ownerId: string; name: string }> {
  const ref = parseModelRef(ctx, requested);
  const row = await ctx.db.registeredModel.findFirst({
    where: { ownerId: ref.ownerId, name: ref.name, ...(ref.ownerId === ctx.user.id ? {} : overseenModelWhere(ctx.user.id)) },
    select: { id: true, ownerId: true, name: true },
  });
  if (!row) throw modelNotFound(requested);
  return row;
}

/** The live stats of a model's versions (newest first, at most 50), for its owner or an instructor who reads it. */
export async function endpointStats(
  ctx: SignedInContext,
  input: { model: string; windowSeconds: number },
  monitor: TrafficRecorder = processMonitor(),
  shared: SharedMetrics | null = monitor === processMonitor() ? processSharedMetrics(monitor) : null,
): Promise<ModelStats> {
  const m = await overseenModelOrThrow(ctx, input.model);
  if (!(input.windowSeconds >= STATS_LIMITS.minWindowSeconds && input.windowSeconds <= STATS_LIMITS.maxWindowSeconds)) throw new DomainError("invalidInput", "windowSeconds out of range");
  const rows = await ctx.db.modelVersion.findMany({
    where: { modelId: m.id },
    orderBy: { version: "desc" },
    take: STATS_LIMITS.versions,
    select: { version: true, trainingReference: true },
  });
  const versions: VersionStats[] = [];
  const alerts: ModelStats["alerts"] = [];
  let everyInstance: Map<string, StoredSecond[]> | null = null;
  if (shared && (await shared.flush())) everyInstance = await shared.read(rows.map((r) => monitorKey(m.ownerId, m.name, r.version)), input.windowSeconds);
  if (everyInstance && shared) {
    const followed = rows.map((r) => monitorKey(m.ownerId, m.name, r.version)).filter((k) => monitor.has(k));
    for (const row of rows) {
      const key = monitorKey(m.ownerId, m.name, row.version);
      if (monitor.has(key)) monitor.setReference(key, trainingReferenceFromText(row.trainingReference), row.trainingReference ?? ""); // as stored now
    }
    await shared.evaluateDrift(followed, DRIFT_READ_MAX_AGE_MS); // every instance's drift (alerts raised there)
  }
  for (const row of rows) {
    const key = monitorKey(m.ownerId, m.name, row.version);
    const remote = everyInstance?.get(key);
    if (!monitor.has(key) && !remote) {
      versions.push({ version: row.version, stats: null });
      continue;
    }
    if (monitor.has(key)) {
      rememberKeyDb(key, ctx.db);
      monitor.setReference(key, trainingReferenceFromText(row.trainingReference), row.trainingReference ?? ""); // as stored now
      monitor.evaluateDrift(key, DRIFT_READ_MAX_AGE_MS);
    }
    const local = monitor.stats(key, input.windowSeconds * 1000);
    // this instance's counts are in Redis too (flushed above): the shared figures replace them
    const stats = everyInstance ? { ...local, ...sharedTraffic(remote ?? [], input.windowSeconds, Date.now()) } : local;
    versions.push({ version: row.version, stats });
    const active = new Set(stats.alerts.active);
    for (const a of stats.alerts.recent) alerts.push({ ...a, version: row.version, active: active.has(a) });
  }
  alerts.sort((a, b) => b.raisedAt - a.raisedAt);
  let sc = shadowComparison(m.id);
  if (everyInstance && shared) {
    // every instance's count of the pair this instance compared, or else of the endpoint's current shadow pair
    let pair: [number, number] | null = sc ? [sc.stableVersion, sc.shadowVersion] : null;
    if (!pair) {
      const e = await ctx.db.endpoint.findUnique({ where: { modelId: m.id }, select: { mode: true, stableVersion: true, candidateVersion: true } });
      if (e?.mode === "shadow" && e.stableVersion !== null && e.candidateVersion !== null) pair = [e.stableVersion, e.candidateVersion];
    }
    const all = pair ? await shared.readShadow(m.id, pair[0], pair[1]) : null;
    if (all) sc = all;
  }
  const shadow = sc ? { ...sc, disagreementRate: sc.rows > 0 ? sc.disagreeingRows / sc.rows : null } : null;
  return { model: input.model, windowSeconds: input.windowSeconds, versions, alerts, traffic: everyInstance ? "shared" : "local", shadow };
}

// ---------------------------------------------------------------------------------------------
// Training reference
// ---------------------------------------------------------------------------------------------

/**
 * Stores (or, with null, removes) the drift reference of one of the caller's model versions:
 * per input feature, in row order, a sample of the training values (TrainingReference). The
 * owner only; effective at once on this instance, within a minute on others.
 */
export async function setTrainingReference(ctx: SignedInContext, input: { model: string; version: number; reference: unknown }, monitor: TrafficRecorder = processMonitor()): Promise<{ version: number; features: number }> {
  const m = await writableModelIdOrThrow(ctx, input.model);
  let reference = null;
  if (input.reference !== null) {
    try {
      reference = parseTrainingReferenceOrThrow(input.reference);
    } catch (e) {
      if (e instanceof ReferenceError) throw new DomainError("invalidInput", e.message);
      throw e;
    }
  }
  const updated = await ctx.db.modelVersion.updateMany({
    where: { modelId: m.id, version: input.version },
    data: { trainingReference: reference ? JSON.stringify(reference) : null },
  });
  if (updated.count === 0) throw new DomainError("notFound", `Model Version (name=${m.name}, version=${input.version}) not found`);
  const key = monitorKey(m.ownerId, m.name, input.version);
  if (monitor.has(key)) monitor.setReference(key, reference, reference ? JSON.stringify(reference) : "");
  return { version: input.version, features: reference?.features.length ?? 0 };
}
