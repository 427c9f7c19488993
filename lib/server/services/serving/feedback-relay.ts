// Ground truth sent to any instance (issue 13 point 8): a prediction waits for its feedback in the
// memory of the instance that answered it (the recorder's pending LRU), so with REDIS_URL every
// request id names that instance — `<instanceId>.<random UUID>` (the random part keeps ids
// unguessable) — and an instance that does not hold a prediction forwards its feedback through
// Redis pub/sub to the one named: a request on `<prefix>serving:fb:req:<instanceId>` with a
// correlation id, the caller and the items; that instance applies them to its recorder
// (recordFeedback: the same rights and answers as on one instance) and replies on
// `<prefix>serving:fb:res:<sender>`. No Redis write per prediction. PUBLISH's receiver count tells
// an instance that is gone (restarted: its predictions are gone too) → "unknown" at once; no reply
// within the timeout (1.5 s), or Redis away → the item is "unavailable" (the route answers 503).
// Without REDIS_URL request ids are plain UUIDs and nothing is forwarded.
import { randomUUID } from "node:crypto";
import type { SessionUser } from "@/lib/server/auth";
import { processWide } from "@/lib/server/process-wide";
import { processRedis, type RedisLink } from "@/lib/server/redis";
import type { TrafficRecorder } from "@/lib/serving/monitoring/recorder";
import { FEEDBACK_LIMITS, processMonitor, recordFeedback, type FeedbackItem, type FeedbackOutcome } from "./monitoring";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The instance a request id names (`<instanceId>.<uuid>`), or null for any other id. */
export function instanceOfRequestId(requestId: string): string | null {
  const dot = requestId.indexOf(".");
  if (dot !== 36) return null;
  const instance = requestId.slice(0, dot);
  return UUID.test(instance) && UUID.test(requestId.slice(dot + 1)) ? instance : null;
}

export interface FeedbackRelayOptions {
  /** How long to wait for the answering instance's reply, ms (default 1,500). */
  timeoutMs?: number;
  /** At most this many forwarded requests waiting for a reply (default 1,000); past it: unavailable. */
  maxWaiting?: number;
}

export interface FeedbackRelay {
  readonly instanceId: string;
  /** A new request id naming this instance. */
  newRequestId(): string;
  /**
   * Feedback for any instance's predictions: applied here when this instance holds them (or the
   * id names no other instance), else forwarded to the instance the id names. Same outcomes as
   * recordFeedback, plus `unavailable` when that instance cannot be reached in time.
   */
  record(user: Pick<SessionUser, "id">, items: readonly FeedbackItem[]): Promise<FeedbackOutcome[]>;
  stop(): void;
}

interface RelayRequest {
  id: string;
  from: string;
  userId: string;
  items: FeedbackItem[];
}

interface RelayReply {
  id: string;
  outcomes: FeedbackOutcome[];
}

const unavailable = (requestId: string): FeedbackOutcome => ({
  requestId,
  ok: false,
  unavailable: true,
  error: "The server instance that answered this request did not answer in time; send the feedback again later",
});

/** Whether a parsed message is a relay request (messages come from Redis: checked, bounded). */
function isRequest(m: unknown): m is RelayRequest {
  if (!m || typeof m !== "object") return false;
  const r = m as Record<string, unknown>;
  if (typeof r.id !== "string" || typeof r.from !== "string" || !UUID.test(r.from) || typeof r.userId !== "string" || !Array.isArray(r.items)) return false;
  if (r.items.length === 0 || r.items.length > FEEDBACK_LIMITS.items) return false;
  return r.items.every((i: unknown) => {
    const it = i as Record<string, unknown> | null;
    return !!it && typeof it.requestId === "string" && it.requestId.length <= FEEDBACK_LIMITS.requestIdLength && Array.isArray(it.labels) && it.labels.length <= 10_000 && it.labels.every((l) => l === 0 || l === 1);
  });
}

export function createFeedbackRelay(link: RedisLink, monitor: TrafficRecorder, opts: FeedbackRelayOptions = {}): FeedbackRelay {
  const instanceId = link.instanceId;
  const timeoutMs = opts.timeoutMs ?? 1500;
  const maxWaiting = opts.maxWaiting ?? 1000;
  const requestChannel = (instance: string) => `serving:fb:req:${instance}`;
  const replyChannel = (instance: string) => `serving:fb:res:${instance}`;
  const waiting = new Map<string, (outcomes: FeedbackOutcome[]) => void>();

  // Another instance's feedback for predictions this one answered.
  const stopRequests = link.subscribe(requestChannel(instanceId), (message) => {
    let m: unknown;
    try {
      m = JSON.parse(message);
    } catch {
      return;
    }
    if (!isRequest(m)) return;
    const outcomes = recordFeedback({ id: m.userId }, m.items, monitor);
    link.publish(replyChannel(m.from), JSON.stringify({ id: m.id, outcomes } satisfies RelayReply));
  });
  // Replies to what this instance forwarded.
  const stopReplies = link.subscribe(replyChannel(instanceId), (message) => {
    let m: RelayReply;
    try {
      m = JSON.parse(message) as RelayReply;
    } catch {
      return;
    }
    const done = typeof m?.id === "string" ? waiting.get(m.id) : undefined;
    if (done && Array.isArray(m.outcomes)) done(m.outcomes);
  });

  /** Sends items to the instance that answered them; their outcomes in the same order. */
  async function forward(instance: string, userId: string, items: FeedbackItem[]): Promise<FeedbackOutcome[]> {
    const all = () => items.map((i) => unavailable(i.requestId));
    if (!link.up() || waiting.size >= maxWaiting) return all();
    const id = randomUUID();
    let timer: NodeJS.Timeout | undefined;
    const reply = new Promise<FeedbackOutcome[] | null>((resolve) => {
      timer = setTimeout(() => resolve(null), timeoutMs);
      waiting.set(id, resolve);
    });
    try {
      const receivers = await link.client.publish(link.prefix + requestChannel(instance), JSON.stringify({ id, from: instanceId, userId, items } satisfies RelayRequest));
      // no instance listens under that id (it stopped, and its pending predictions with it): unknown ids
      if (receivers === 0) return recordFeedback({ id: userId }, items, monitor);
      const outcomes = await reply;
      if (!outcomes) return all();
      // the reply's outcomes, matched by request id (each at most once), else unavailable
      const byId = new Map<string, FeedbackOutcome[]>();
      for (const o of outcomes) {
        if (!o || typeof o.requestId !== "string") continue;
        const outcome: FeedbackOutcome = o.ok === true ? { requestId: o.requestId, ok: true } : { requestId: o.requestId, ok: false, error: String((o as { error?: unknown }).error ?? "") };
        byId.set(o.requestId, [...(byId.get(o.requestId) ?? []), outcome]);
      }
      return items.map((i) => byId.get(i.requestId)?.shift() ?? unavailable(i.requestId));
    } catch (e) {
      link.failed("feedback forward", e);
      return all();
    } finally {
      clearTimeout(timer);
      waiting.delete(id);
    }
  }

  return {
    instanceId,
    newRequestId: () => `${instanceId}.${randomUUID()}`,
    async record(user, items) {
      const outcomes: FeedbackOutcome[] = new Array(items.length);
      const elsewhere = new Map<string, number[]>(); // instance → positions of its items
      items.forEach((item, i) => {
        const instance = instanceOfRequestId(item.requestId);
        if (instance && instance !== instanceId && !monitor.pendingFor(item.requestId)) {
          const list = elsewhere.get(instance) ?? [];
          list.push(i);
          elsewhere.set(instance, list);
        } else outcomes[i] = recordFeedback(user, [item], monitor)[0];
      });
      await Promise.all(
        [...elsewhere].map(async ([instance, positions]) => {
          const forwarded = await forward(instance, user.id, positions.map((p) => items[p]));
          positions.forEach((p, j) => (outcomes[p] = forwarded[j]));
        }),
      );
      return outcomes;
    },
    stop() {
      stopRequests();
      stopReplies();
      for (const done of waiting.values()) done([]);
    },
  };
}

/** The process's relay (REDIS_URL set) over the process's recorder, started on first use; null without Redis. */
export function processFeedbackRelay(): FeedbackRelay | null {
  return processWide("servingFeedbackRelay", () => {
    const link = processRedis();
    return link ? createFeedbackRelay(link, processMonitor()) : null;
  });
}
