// Live traffic counts shared through Redis (issue 13 point 8): every recorded request (and every
// feedback counted: accuracy, precision and recall) is also
// counted in a DeltaBuffer (lib/serving/monitoring/shared-buckets.ts), pushed every second to one
// hash per served version and second (`<prefix>serving:m:<key>:<second>`, fields added up by every
// instance, kept 15 minutes) with an index of the seconds that have counts
// (`<prefix>serving:mi:<key>`, a sorted set). monitoring.endpointStats reads them back for the
// window and merges all instances. Redis away: the deltas wait (bounded) for the next push, and
// reads return null so that stats fall back to this instance's own recorder.
//
// Drift: each request's rows are also counted in the version's reference bins
// (lib/serving/monitoring/drift-bins.ts) per minute, pushed every second to one hash per version
// and minute (`<prefix>serving:x:<key>:<minute>`, kept 7 minutes, index `<prefix>serving:xi:<key>`),
// and every evaluation period (10 s) each instance
// computes PSI and KS of the versions it serves from every instance's counts over the drift window
// (5 minutes) and hands them to its recorder (applySharedDrift), which raises alerts from them. The
// instances see the same counts, so they raise the same episode: the first to claim it
// (`<prefix>serving:da:<key>:<feature>`, SET NX, 60 s) notifies the owner (claimAlert).
import { processWide } from "@/lib/server/process-wide";
import { processRedis, type RedisLink } from "@/lib/server/redis";
import type { TrafficRecorder } from "@/lib/serving/monitoring/recorder";
import { DeltaBuffer, DRIFT_SLOT_MS, driftSlots, sharedDriftCounts, type SecondDelta, type StoredSecond } from "@/lib/serving/monitoring/shared-buckets";
import { binnedDrift } from "@/lib/serving/monitoring/drift-bins";
import type { DriftAlert } from "@/lib/serving/monitoring/drift-check";
import { onShadowRecord, type ShadowComparison, type ShadowDelta } from "./shadow";

/** KEYS: hash. ARGV: ttl, maxAbsDiff, lastAt, then field, increment pairs. */
const SHADOW_SCRIPT = `
local h = KEYS[1]
for i = 4, #ARGV, 2 do redis.call('HINCRBY', h, ARGV[i], ARGV[i + 1]) end
local m = redis.call('HGET', h, 'maxAbsDiff')
if (not m) or tonumber(ARGV[2]) > tonumber(m) then redis.call('HSET', h, 'maxAbsDiff', ARGV[2]) end
local l = redis.call('HGET', h, 'lastAt')
if (not l) or tonumber(ARGV[3]) > tonumber(l) then redis.call('HSET', h, 'lastAt', ARGV[3]) end
redis.call('EXPIRE', h, ARGV[1])
return 1
`;
const SHADOW_TTL_SECONDS = 86_400;

/** KEYS: hash, index. ARGV: ttl seconds, second, min ("" none), max ("" none), then field, increment pairs. */
const PUSH_SCRIPT = `
local h, idx = KEYS[1], KEYS[2]
for i = 5, #ARGV, 2 do redis.call('HINCRBYFLOAT', h, ARGV[i], ARGV[i + 1]) end
if ARGV[3] ~= '' then
  local c = redis.call('HGET', h, 'pmin')
  if (not c) or tonumber(ARGV[3]) < tonumber(c) then redis.call('HSET', h, 'pmin', ARGV[3]) end
end
if ARGV[4] ~= '' then
  local c = redis.call('HGET', h, 'pmax')
  if (not c) or tonumber(ARGV[4]) > tonumber(c) then redis.call('HSET', h, 'pmax', ARGV[4]) end
end
redis.call('EXPIRE', h, ARGV[1])
redis.call('ZADD', idx, ARGV[2], ARGV[2])
redis.call('ZREMRANGEBYSCORE', idx, '-inf', tonumber(ARGV[2]) - tonumber(ARGV[1]))
redis.call('EXPIRE', idx, ARGV[1])
return 1
`;

export interface SharedMetricsOptions {
  /** Push period, ms (default 1,000; 0: only on flush()). */
  intervalMs?: number;
  /** How long a second's counts are kept, s (default 900). */
  ttlSeconds?: number;
  /**
   * Also share this process's shadow comparisons (./shadow.ts, per process): the process's
   * sharing does; in-process test instances leave it to one of them.
   */
  shadow?: boolean;
  /** Drift over every instance's traffic, evaluated every this many ms (default: the recorder's period, 10 s; 0: only on evaluateDrift()). */
  driftEveryMs?: number;
}

/** An alert episode is claimed for this long: instances raising it within that time notify once. */
const ALERT_CLAIM_SECONDS = 60;

export interface SharedMetrics {
  readonly link: RedisLink;
  /** Pushes what was recorded since the last push; false when Redis did not take it (kept for the next). */
  flush(): Promise<boolean>;
  /** Every instance's counts per second for each key over the window; null when Redis cannot answer. */
  read(keys: readonly string[], windowSeconds: number, nowMs?: number): Promise<Map<string, StoredSecond[]> | null>;
  /** Every instance's comparison of an endpoint's stable/shadow pair (kept a day past the last copy); null: none, or Redis cannot answer. */
  readShadow(endpointId: string, stableVersion: number, shadowVersion: number): Promise<ShadowComparison | null>;
  /**
   * Drift of the given keys (default: those the recorder follows with a reference) over every
   * instance's counts, applied to the recorder (its alerts raised); keys evaluated less than
   * maxAgeMs ago are skipped. False when Redis could not answer (the recorder keeps its own).
   */
  evaluateDrift(keys?: readonly string[], maxAgeMs?: number): Promise<boolean>;
  /** Whether this instance is the one to notify of an alert episode (the first to claim it; true when Redis cannot answer). */
  claimAlert(key: string, alert: DriftAlert): Promise<boolean>;
  stop(): void;
}

export function createSharedMetrics(link: RedisLink, recorder: TrafficRecorder, opts: SharedMetricsOptions = {}): SharedMetrics {
  const ttl = opts.ttlSeconds ?? 900;
  const buffer = new DeltaBuffer();
  const driftBuffer = new DeltaBuffer(10_000, DRIFT_SLOT_MS);
  const driftTtl = Math.ceil((recorder.driftSettings.windowMs + 2 * DRIFT_SLOT_MS) / 1000);
  const removeRecordListener = recorder.onRecord((key, at, args) => {
    buffer.add(key, at, args);
    const binning = args.rows?.length ? recorder.driftBinning(key) : null;
    if (binning) driftBuffer.addRows(key, at, args.rows!, binning);
  });
  const removeFeedbackListener = recorder.onFeedback((key, at, counts) => buffer.addFeedback(key, at, counts));
  const removeListener = () => {
    removeRecordListener();
    removeFeedbackListener();
  };
  const hashKey = (key: string, second: number) => `${link.prefix}serving:m:${key}:${second}`;
  const indexKey = (key: string) => `${link.prefix}serving:mi:${key}`;
  const driftHashKey = (key: string, minute: number) => `${link.prefix}serving:x:${key}:${minute}`;
  const driftIndexKey = (key: string) => `${link.prefix}serving:xi:${key}`;
  let running: Promise<boolean> = Promise.resolve(true);
  const shadowKey = (endpointId: string, stable: number, shadow: number) => `${link.prefix}serving:sh:${endpointId}:${stable}:${shadow}`;
  let shadowPending = new Map<string, ShadowDelta>();
  const addShadow = (d: ShadowDelta) => {
    const id = `${d.endpointId}\n${d.stableVersion}\n${d.shadowVersion}`;
    const e = shadowPending.get(id);
    if (!e) {
      if (shadowPending.size < 10_000) shadowPending.set(id, { ...d });
      return;
    }
    e.requests += d.requests;
    e.errors += d.errors;
    e.rows += d.rows;
    e.disagreeingRows += d.disagreeingRows;
    e.maxAbsDiff = Math.max(e.maxAbsDiff, d.maxAbsDiff);
    e.at = Math.max(e.at, d.at);
  };
  const removeShadowListener = opts.shadow ? onShadowRecord(addShadow) : () => {};

  async function pushShadow(): Promise<boolean> {
    if (shadowPending.size === 0) return true;
    const deltas = [...shadowPending.values()];
    shadowPending = new Map();
    let ok = true;
    await Promise.all(
      deltas.map(async (d) => {
        try {
          if (!link.up()) throw new Error("not connected");
          const fields = ["requests", d.requests, "errors", d.errors, "rows", d.rows, "disagreeingRows", d.disagreeingRows];
          await link.client.eval(SHADOW_SCRIPT, 1, shadowKey(d.endpointId, d.stableVersion, d.shadowVersion), SHADOW_TTL_SECONDS, d.maxAbsDiff, d.at, ...fields);
        } catch (e) {
          if (link.up()) link.failed("shadow push", e);
          ok = false;
          addShadow(d); // kept for the next push
        }
      }),
    );
    return ok;
  }

  async function push(from = buffer, hashOf = hashKey, indexOf = indexKey, keep = ttl): Promise<boolean> {
    const deltas = from.drain();
    if (deltas.length === 0) return true;
    if (!link.up()) {
      from.restore(deltas);
      return false;
    }
    const failed: SecondDelta[] = [];
    await Promise.all(
      deltas.map(async (d) => {
        const args: (string | number)[] = [keep, d.second, d.min ?? "", d.max ?? ""];
        for (const [f, v] of Object.entries(d.add)) args.push(f, v);
        try {
          await link.client.eval(PUSH_SCRIPT, 2, hashOf(d.key, d.second), indexOf(d.key), ...args);
        } catch (e) {
          link.failed("metrics push", e);
          failed.push(d);
        }
      }),
    );
    if (failed.length) from.restore(failed);
    return failed.length === 0;
  }

  const pushAll = async () => {
    const [a, b, c] = await Promise.all([push(), pushShadow(), push(driftBuffer, driftHashKey, driftIndexKey, driftTtl)]);
    return a && b && c;
  };
  const flush = () => (running = running.then(pushAll, pushAll));
  const timer = (opts.intervalMs ?? 1000) > 0 ? setInterval(() => void flush(), opts.intervalMs ?? 1000) : null;
  timer?.unref();

  const evaluatedAt = new Map<string, number>();
  async function read(keys: readonly string[], windowSeconds: number, nowMs = Date.now()): Promise<Map<string, StoredSecond[]> | null> {
    const last = Math.floor(nowMs / 1000);
    return readSlots(keys, last - Math.max(1, Math.floor(windowSeconds)) + 1, last, hashKey, indexKey, "metrics read");
  }

  /** Every instance's summed slots first..last of each key (hashes hashOf(key, slot), indexed in indexOf(key)); null when Redis cannot answer. */
  async function readSlots(keys: readonly string[], first: number, last: number, hashOf: typeof hashKey, indexOf: typeof indexKey, what: string): Promise<Map<string, StoredSecond[]> | null> {
      if (!link.up()) return null;
      try {
        const out = new Map<string, StoredSecond[]>();
        await Promise.all(
          keys.map(async (key) => {
            const seconds = (await link.client.zrangebyscore(indexOf(key), first, last)).map(Number);
            if (seconds.length === 0) return;
            const pipe = link.client.pipeline();
            for (const s of seconds) pipe.hgetall(hashOf(key, s));
            const results = (await pipe.exec()) ?? [];
            const stored: StoredSecond[] = [];
            results.forEach(([err, fields], i) => {
              if (err) throw err;
              if (fields && Object.keys(fields as object).length) stored.push({ second: seconds[i], fields: fields as Record<string, string> });
            });
            out.set(key, stored);
          }),
        );
        return out;
      } catch (e) {
        link.failed(what, e);
        return null;
      }
  }

  async function evaluateDrift(keys: readonly string[] = recorder.keysWithReference(), maxAgeMs = 0): Promise<boolean> {
    const now = Date.now();
    const due = keys.filter((k) => recorder.driftBinning(k) && !(now - (evaluatedAt.get(k) ?? -Infinity) < maxAgeMs));
    if (due.length === 0) return true;
    const { windowMs, minSamples, thresholds } = recorder.driftSettings;
    await flush();
    const { first, last } = driftSlots(windowMs, now);
    const all = await readSlots(due, first, last, driftHashKey, driftIndexKey, "drift read");
    if (!all) return false;
    if (evaluatedAt.size > 10_000) evaluatedAt.clear();
    for (const key of due) {
      const binning = recorder.driftBinning(key);
      if (!binning) continue;
      const counts = sharedDriftCounts(all.get(key) ?? [], first, last, binning);
      let samples = 0;
      for (const c of counts) if (c) samples = Math.max(samples, c.reduce((a, v) => a + v, 0));
      recorder.applySharedDrift(key, samples >= minSamples ? binnedDrift(binning.bins, counts, thresholds) : [], samples);
      evaluatedAt.set(key, now);
    }
    return true;
  }
  let evaluating: Promise<unknown> = Promise.resolve();
  const driftEvery = opts.driftEveryMs ?? recorder.driftSettings.evaluateEveryMs;
  const driftTimer = driftEvery > 0 ? setInterval(() => (evaluating = evaluating.then(() => evaluateDrift(undefined, driftEvery / 2)).catch(() => {})), driftEvery) : null;
  driftTimer?.unref();

  return {
    link,
    flush,
    read,
    evaluateDrift: (keys, maxAgeMs) => {
      const run = evaluating.then(() => evaluateDrift(keys, maxAgeMs));
      evaluating = run.catch(() => {});
      return run;
    },
    async claimAlert(key, alert) {
      if (!link.up()) return true;
      try {
        return (await link.client.set(`${link.prefix}serving:da:${key}:${alert.feature}`, String(alert.raisedAt), "EX", ALERT_CLAIM_SECONDS, "NX")) === "OK";
      } catch (e) {
        link.failed("drift alert claim", e);
        return true;
      }
    },
    async readShadow(endpointId, stableVersion, shadowVersion) {
      if (!link.up()) return null;
      try {
        const f = await link.client.hgetall(shadowKey(endpointId, stableVersion, shadowVersion));
        if (!f || !f.requests) return null;
        const n = (k: string) => Number(f[k] ?? 0) || 0;
        return { endpointId, stableVersion, shadowVersion, requests: n("requests"), errors: n("errors"), rows: n("rows"), disagreeingRows: n("disagreeingRows"), maxAbsDiff: n("maxAbsDiff"), lastAt: n("lastAt") };
      } catch (e) {
        link.failed("shadow read", e);
        return null;
      }
    },
    stop() {
      if (timer) clearInterval(timer);
      if (driftTimer) clearInterval(driftTimer);
      removeListener();
      removeShadowListener();
    },
  };
}

/** The process's sharing (REDIS_URL set), started with its recorder on first use; null without Redis. */
export function processSharedMetrics(recorder: TrafficRecorder): SharedMetrics | null {
  return processWide("servingSharedMetrics", () => {
    const link = processRedis();
    return link ? createSharedMetrics(link, recorder, { shadow: true }) : null;
  });
}
