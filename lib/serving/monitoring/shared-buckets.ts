// Live traffic counts shared between server instances (issue 13 point 8), pure part: each instance
// accumulates what it records per key (served version) and second as flat numeric fields
// (`DeltaBuffer`), pushes them to a store that adds them up (Redis hashes, one per key and second:
// lib/server/services/serving/shared-metrics.ts), and a stats read turns every instance's summed
// seconds back into the recorder's traffic figures (`sharedTraffic`). Min and max of the
// predictions travel as `pmin` / `pmax` (the store keeps the smaller / larger); feedback counted
// (the confusion matrix's cells) as `ftp` / `ffp` / `ftn` / `ffn`, in the second it arrived. The
// live inputs, for drift, in a buffer of their own with one-minute slots (DRIFT_SLOT_MS, the
// recorder's sample windows): counts per feature and bin (`x<tag>:<feature>.<bin>`, bins fixed by
// the version's training reference, whose content `tag` names: ./drift-bins.ts), which
// `sharedDriftCounts` adds up over the drift window.
import { addBinCounts, countRow, type FeatureBins } from "./drift-bins";
import { LATENCY_BINS, latencyBin, latencyQuantile, SCORE_BINS, scoreBin } from "./histogram";
import type { EndpointStats, FeedbackCounts, RecordArgs, SeriesPoint } from "./recorder";

/** One minute: the slot of the drift counts (a second's would make 60 times the hashes for the same window). */
export const DRIFT_SLOT_MS = 60_000;

/** One key's counts for one slot (`second`: the slot's index, a second by default), as the store's fields: req, err, rows, lsum, timed, pc, ps, out, l<bin>, s<bin>, ftp, ffp, ftn, ffn; plus pmin/pmax. */
export interface SecondDelta {
  key: string;
  second: number;
  add: Record<string, number>;
  min: number | null;
  max: number | null;
}

export class DeltaBuffer {
  private readonly pending = new Map<string, SecondDelta>();
  private readonly maxEntries: number;
  private readonly slotMs: number;

  /** maxEntries bounds what waits for a push while the store is away (default 10,000 key-slots; the oldest are dropped); slotMs: the slot (default 1,000: a second). */
  constructor(maxEntries = 10_000, slotMs = 1000) {
    this.maxEntries = maxEntries;
    this.slotMs = slotMs;
  }

  get size(): number {
    return this.pending.size;
  }

  private entry(key: string, at: number): SecondDelta {
    const second = Math.floor(at / this.slotMs);
    const id = `${key}\n${second}`;
    let d = this.pending.get(id);
    if (!d) {
      if (this.pending.size >= this.maxEntries) this.pending.delete(this.pending.keys().next().value!);
      this.pending.set(id, (d = { key, second, add: {}, min: null, max: null }));
    }
    return d;
  }

  /** Mirrors TrafficRecorder.feedback's counting: what one feedback added at time `at` (ms). */
  addFeedback(key: string, at: number, counts: FeedbackCounts): void {
    const d = this.entry(key, at);
    for (const [f, v] of [["ftp", counts.tp], ["ffp", counts.fp], ["ftn", counts.tn], ["ffn", counts.fn]] as const) if (v) d.add[f] = (d.add[f] ?? 0) + v;
  }

  /** A request's rows at time `at` (ms) counted per feature in the reference's bins (fields x<tag>:<feature>.<bin>). */
  addRows(key: string, at: number, rows: readonly (readonly number[])[], drift: DriftBinning): void {
    if (rows.length === 0) return;
    const d = this.entry(key, at);
    const counts: number[][] = [];
    for (const row of rows) countRow(drift.bins, counts, row);
    counts.forEach((c, i) =>
      c?.forEach((v, b) => {
        if (v) d.add[`x${drift.tag}:${i}.${b}`] = (d.add[`x${drift.tag}:${i}.${b}`] ?? 0) + v;
      }),
    );
  }

  /** Mirrors TrafficRecorder.record's counting for one request at time `at` (ms). */
  add(key: string, at: number, args: RecordArgs): void {
    const d = this.entry(key, at);
    const inc = (f: string, v: number) => (d.add[f] = (d.add[f] ?? 0) + v);
    inc("req", 1);
    if (args.error) inc("err", 1);
    if (args.latencyMs !== undefined) {
      const latency = Number.isFinite(args.latencyMs) && args.latencyMs > 0 ? args.latencyMs : 0;
      inc("lsum", latency);
      inc("timed", 1);
      inc(`l${latencyBin(latency)}`, 1);
    }
    if (args.rows?.length) inc("rows", args.rows.length);
    if (args.outputs && !args.error) {
      for (const out of args.outputs) {
        const v = out[0];
        if (!Number.isFinite(v)) continue;
        inc("pc", 1);
        inc("ps", v);
        d.min = d.min === null ? v : Math.min(d.min, v);
        d.max = d.max === null ? v : Math.max(d.max, v);
        const b = scoreBin(v);
        if (b < 0) inc("out", 1);
        else inc(`s${b}`, 1);
      }
    }
  }

  /** Everything accumulated since the last drain. */
  drain(): SecondDelta[] {
    const all = [...this.pending.values()];
    this.pending.clear();
    return all;
  }

  /** Puts back deltas a push could not deliver (they are added to whatever came since). */
  restore(deltas: readonly SecondDelta[]): void {
    for (const d of deltas) {
      const id = `${d.key}\n${d.second}`;
      const now = this.pending.get(id);
      if (!now) {
        if (this.pending.size >= this.maxEntries) continue;
        this.pending.set(id, { ...d, add: { ...d.add } });
        continue;
      }
      for (const [f, v] of Object.entries(d.add)) now.add[f] = (now.add[f] ?? 0) + v;
      if (d.min !== null) now.min = now.min === null ? d.min : Math.min(now.min, d.min);
      if (d.max !== null) now.max = now.max === null ? d.max : Math.max(now.max, d.max);
    }
  }
}

/** A reference's bins and the tag naming its content (instances with the same reference count alike). */
export interface DriftBinning {
  tag: string;
  bins: FeatureBins[];
}

/** A short name of a reference's content (FNV-1a, 32 bits, hex). */
export function referenceTag(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16).padStart(8, "0");
}

/** The drift slots of the window of `windowMs` up to `nowMs` (the recorder's: the current minute and those that end inside the window). */
export function driftSlots(windowMs: number, nowMs: number): { first: number; last: number } {
  return { first: Math.floor((nowMs - windowMs) / DRIFT_SLOT_MS) + 1, last: Math.floor(nowMs / DRIFT_SLOT_MS) };
}

/**
 * Every instance's live counts per feature and bin in slots first..last, counted with the
 * reference `tag` names (counts made with another reference are left out).
 */
export function sharedDriftCounts(seconds: readonly StoredSecond[], first: number, last: number, drift: DriftBinning): number[][] {
  const prefix = `x${drift.tag}:`;
  const counts: number[][] = [];
  for (const s of seconds) {
    if (s.second < first || s.second > last) continue;
    const add: number[][] = [];
    for (const [k, v] of Object.entries(s.fields)) {
      if (!k.startsWith(prefix)) continue;
      const [f, b] = k.slice(prefix.length).split(".").map(Number);
      const n = Number(v);
      if (!Number.isInteger(f) || !Number.isInteger(b) || f < 0 || b < 0 || f >= drift.bins.length || b > drift.bins[f].edges.length || !(n > 0)) continue;
      (add[f] ??= new Array<number>(drift.bins[f].edges.length + 1).fill(0))[b] += n;
    }
    addBinCounts(counts, add);
  }
  return counts;
}

/** A second's summed fields as the store returns them (strings). */
export interface StoredSecond {
  second: number;
  fields: Record<string, string>;
}

type Traffic = Pick<EndpointStats, "windowMs" | "bucketMs" | "series" | "requests" | "errors" | "errorRate" | "requestsPerSecond" | "rows" | "latencyMs" | "predictions" | "feedback">;

const ratio = (a: number, b: number) => (b > 0 ? a / b : null);

/** The traffic figures of the last `windowSeconds` seconds up to `nowMs` from every instance's summed seconds (1 s buckets). */
export function sharedTraffic(seconds: readonly StoredSecond[], windowSeconds: number, nowMs: number): Traffic {
  const last = Math.floor(nowMs / 1000);
  const first = last - Math.max(1, Math.floor(windowSeconds)) + 1;
  const bySecond = new Map<number, Record<string, string>>();
  for (const s of seconds) if (s.second >= first && s.second <= last) bySecond.set(s.second, s.fields);
  const num = (f: Record<string, string> | undefined, k: string) => {
    const v = f ? Number(f[k]) : 0;
    return Number.isFinite(v) ? v : 0;
  };
  const series: SeriesPoint[] = [];
  const latency = new Array<number>(LATENCY_BINS).fill(0);
  const histogram = new Array<number>(SCORE_BINS).fill(0);
  const t = { requests: 0, errors: 0, rows: 0, lsum: 0, timed: 0, pc: 0, ps: 0, out: 0, min: Infinity, max: -Infinity };
  const fb = { tp: 0, fp: 0, tn: 0, fn: 0 };
  for (let second = first; second <= last; second++) {
    const f = bySecond.get(second);
    const timed = num(f, "timed");
    series.push({ t: second * 1000, requests: num(f, "req"), errors: num(f, "err"), rows: num(f, "rows"), meanLatencyMs: timed > 0 ? num(f, "lsum") / timed : null });
    if (!f) continue;
    t.requests += num(f, "req");
    t.errors += num(f, "err");
    t.rows += num(f, "rows");
    t.lsum += num(f, "lsum");
    t.timed += timed;
    t.pc += num(f, "pc");
    t.ps += num(f, "ps");
    t.out += num(f, "out");
    fb.tp += num(f, "ftp");
    fb.fp += num(f, "ffp");
    fb.tn += num(f, "ftn");
    fb.fn += num(f, "ffn");
    if (f.pmin !== undefined) t.min = Math.min(t.min, num(f, "pmin"));
    if (f.pmax !== undefined) t.max = Math.max(t.max, num(f, "pmax"));
    for (const [k, v] of Object.entries(f)) {
      const bin = Number(k.slice(1));
      if (!Number.isInteger(bin) || bin < 0) continue;
      if (k[0] === "l" && bin < LATENCY_BINS) latency[bin] += Number(v) || 0;
      else if (k[0] === "s" && bin < SCORE_BINS) histogram[bin] += Number(v) || 0;
    }
  }
  const n = last - first + 1;
  const labelled = fb.tp + fb.fp + fb.tn + fb.fn;
  return {
    windowMs: n * 1000,
    bucketMs: 1000,
    series,
    requests: t.requests,
    errors: t.errors,
    errorRate: ratio(t.errors, t.requests),
    requestsPerSecond: t.requests / n,
    rows: t.rows,
    latencyMs: { p50: latencyQuantile(latency, 0.5), p99: latencyQuantile(latency, 0.99), mean: ratio(t.lsum, t.timed) },
    predictions: { count: t.pc, min: t.pc && t.min !== Infinity ? t.min : null, max: t.pc && t.max !== -Infinity ? t.max : null, mean: ratio(t.ps, t.pc), histogram, outsideUnit: t.out },
    feedback: {
      count: labelled,
      ...fb,
      accuracy: ratio(fb.tp + fb.tn, labelled),
      precision: ratio(fb.tp, fb.tp + fb.fp),
      recall: ratio(fb.tp, fb.tp + fb.fn),
    },
  };
}
