// Live traffic of model endpoints, per key (one served model version), in fixed time buckets and
// bounded memory: counters per second (requests, errors, rows, latency sum) for the last ten
// minutes; latency and prediction histograms per ten seconds; a reservoir sample of input rows per
// minute for drift; predictions awaiting ground truth (the feedback join) in one LRU map. Keys
// themselves are an LRU: the least recently used is dropped past maxKeys. Pure: time and
// randomness come in as options.
import { addCounts, LATENCY_BINS, latencyBin, latencyQuantile, SCORE_BINS, scoreBin } from "./histogram";
import { compareFeature, DEFAULT_DRIFT_THRESHOLDS, DriftAlerts, type DriftAlert, type DriftThresholds, type FeatureDrift } from "./drift-check";
import type { TrainingReference } from "./reference";
import { referenceBins } from "./drift-bins";
import { referenceTag, type DriftBinning } from "./shared-buckets";
import { InsertionOrderMap } from "./insertion-order-map";

export interface RecorderOptions {
  /** Counter bucket, ms (default 1,000) and how many are kept (default 600: ten minutes). */
  bucketMs?: number;
  buckets?: number;
  /** Counter buckets per histogram bucket (default 10). */
  bucketsPerSlice?: number;
  /** Sample windows for drift: their length, ms (default 60,000), rows kept per window (default 256). */
  sampleWindowMs?: number;
  sampleRows?: number;
  /** Input columns sampled (default 64; wider rows are cut). */
  maxFeatures?: number;
  /** Drift compares the last driftWindowMs (default 300,000) of samples, once at least minDriftSamples rows (default 200). */
  driftWindowMs?: number;
  minDriftSamples?: number;
  /**
   * While traffic comes, every feature's drift is re-evaluated once per evaluateEveryMs (default
   * 10,000), one feature per record call, so no request waits for more than one feature's tests
   * (~2 ms for 2,000 reference values against 1,280 live ones).
   */
  evaluateEveryMs?: number;
  thresholds?: DriftThresholds;
  /** Keys (versions) followed at once (default 128). */
  maxKeys?: number;
  /** Predictions awaiting feedback (default 50,000 requests), and rows kept per request (default 100). */
  pendingMax?: number;
  pendingRows?: number;
  /** Alerts kept per key (default 100). */
  alertsMax?: number;
  now?: () => number;
  /** Uniform in [0, 1) (the reservoirs); default Math.random. */
  random?: () => number;
}

export interface RecordArgs {
  /** Time spent predicting, ms; absent for a request refused before the model (counted, not timed). */
  latencyMs?: number;
  /** The request failed at the model. */
  error?: boolean;
  /** The feature rows (raw, as sent). */
  rows?: readonly (readonly number[])[];
  /** One list of output values per row; the first is the score. */
  outputs?: readonly (readonly number[])[];
  /** Kept for the feedback join when given (with the caller, for the route to check who sends feedback). */
  requestId?: string;
  callerId?: string;
  /** Score at or above which the prediction is the positive class (default 0.5). */
  threshold?: number;
}

interface Counters {
  slot: number;
  requests: number;
  errors: number;
  rows: number;
  latencySum: number;
  /** Requests with a latency (the histogram's and the mean's count). */
  timed: number;
}

interface Slice {
  slot: number;
  latency: Uint32Array;
  scores: Uint32Array;
  predCount: number;
  predSum: number;
  predMin: number;
  predMax: number;
  outsideUnit: number;
  tp: number;
  fp: number;
  tn: number;
  fn: number;
}

interface SampleWindow {
  slot: number;
  seen: number;
  rows: Float32Array[];
}

interface KeyState {
  usedAt: number;
  counters: (Counters | undefined)[];
  slices: (Slice | undefined)[];
  samples: (SampleWindow | undefined)[];
  reference: TrainingReference | null;
  referenceTag: string | undefined;
  alerts: DriftAlerts;
  /** The latest result per feature position (a hole: not evaluated since the reference was set). */
  lastDrift: (FeatureDrift | undefined)[];
  /** When the last full evaluation ran, and the last single-feature step and its position. */
  lastFullAt: number;
  lastStepAt: number;
  nextFeature: number;
  /** The reference's bins (./drift-bins.ts), made on first use. */
  binning: DriftBinning | null | undefined;
  /** When drift over every instance's traffic was last applied (applySharedDrift), and its live values. */
  sharedAt: number;
  sharedSamples: number;
}

export interface PendingPrediction {
  key: string;
  callerId: string | undefined;
  scores: Float32Array;
  threshold: number;
}

export interface SeriesPoint {
  /** Bucket start, ms since the epoch. */
  t: number;
  requests: number;
  errors: number;
  rows: number;
  meanLatencyMs: number | null;
}

export interface EndpointStats {
  windowMs: number;
  bucketMs: number;
  series: SeriesPoint[];
  requests: number;
  errors: number;
  errorRate: number | null;
  requestsPerSecond: number;
  rows: number;
  latencyMs: { p50: number | null; p99: number | null; mean: number | null };
  predictions: { count: number; min: number | null; max: number | null; mean: number | null; histogram: number[]; outsideUnit: number };
  feedback: { count: number; tp: number; fp: number; tn: number; fn: number; accuracy: number | null; precision: number | null; recall: number | null };
  drift: { features: FeatureDrift[]; samples: number; hasReference: boolean };
  alerts: { active: DriftAlert[]; recent: DriftAlert[] };
}

/** A confusion matrix's cells: what one feedback added, or a window's sum. */
export interface FeedbackCounts {
  tp: number;
  fp: number;
  tn: number;
  fn: number;
}

export type FeedbackResult = { ok: true; key: string } | { ok: false; reason: "unknown" | "rows" | "label" };

const ratio = (a: number, b: number) => (b > 0 ? a / b : null);

export class TrafficRecorder {
  private readonly o: Required<Omit<RecorderOptions, "now" | "random" | "thresholds">>;
  private readonly thresholds: DriftThresholds;
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly keys = new Map<string, KeyState>();
  /** Oldest out first past pendingMax, in constant time (./insertion-order-map.ts). */
  private readonly pending = new InsertionOrderMap<string, PendingPrediction>();
  private readonly sampleWindows: number;
  private readonly slices: number;
  private tick = 0;
  private readonly listeners = new Set<(key: string, at: number, args: RecordArgs) => void>();
  private readonly alertListeners = new Set<(key: string, alert: DriftAlert) => void>();
  private readonly feedbackListeners = new Set<(key: string, at: number, counts: FeedbackCounts) => void>();

  constructor(options: RecorderOptions = {}) {
    this.o = {
      bucketMs: options.bucketMs ?? 1000,
      buckets: options.buckets ?? 600,
      bucketsPerSlice: options.bucketsPerSlice ?? 10,
      sampleWindowMs: options.sampleWindowMs ?? 60_000,
      sampleRows: options.sampleRows ?? 256,
      maxFeatures: options.maxFeatures ?? 64,
      driftWindowMs: options.driftWindowMs ?? 300_000,
      minDriftSamples: options.minDriftSamples ?? 200,
      evaluateEveryMs: options.evaluateEveryMs ?? 10_000,
      maxKeys: options.maxKeys ?? 128,
      pendingMax: options.pendingMax ?? 50_000,
      pendingRows: options.pendingRows ?? 100,
      alertsMax: options.alertsMax ?? 100,
    };
    this.thresholds = options.thresholds ?? DEFAULT_DRIFT_THRESHOLDS;
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
    this.slices = Math.ceil(this.o.buckets / this.o.bucketsPerSlice);
    this.sampleWindows = Math.ceil(this.o.driftWindowMs / this.o.sampleWindowMs);
  }

  /** What is held, for the bounds' tests and a health page. */
  get size(): { keys: number; pending: number } {
    return { keys: this.keys.size, pending: this.pending.size };
  }

  private state(key: string, create: boolean): KeyState | undefined {
    let s = this.keys.get(key);
    if (s) {
      if (create) s.usedAt = ++this.tick;
      return s;
    }
    if (!create) return undefined;
    if (this.keys.size >= this.o.maxKeys) {
      // Least recently used out: a scan, but only when a new key comes in past the bound.
      let oldest: string | undefined;
      let oldestAt = Infinity;
      for (const [k, v] of this.keys) if (v.usedAt < oldestAt) [oldest, oldestAt] = [k, v.usedAt];
      this.keys.delete(oldest!);
    }
    s = {
      usedAt: ++this.tick,
      counters: new Array(this.o.buckets),
      slices: new Array(this.slices),
      samples: new Array(this.sampleWindows),
      reference: null,
      referenceTag: undefined,
      alerts: new DriftAlerts(this.o.alertsMax),
      lastDrift: [],
      lastFullAt: -Infinity,
      lastStepAt: -Infinity,
      nextFeature: 0,
      binning: undefined,
      sharedAt: -Infinity,
      sharedSamples: 0,
    };
    this.keys.set(key, s);
    return s;
  }

  private counters(s: KeyState, at: number): Counters {
    const slot = Math.floor(at / this.o.bucketMs);
    const i = slot % this.o.buckets;
    let c = s.counters[i];
    if (!c || c.slot !== slot) c = s.counters[i] = { slot, requests: 0, errors: 0, rows: 0, latencySum: 0, timed: 0 };
    return c;
  }

  private slice(s: KeyState, at: number): Slice {
    const slot = Math.floor(at / (this.o.bucketMs * this.o.bucketsPerSlice));
    const i = slot % this.slices;
    let c = s.slices[i];
    if (!c || c.slot !== slot) {
      c = s.slices[i] = {
        slot,
        latency: new Uint32Array(LATENCY_BINS),
        scores: new Uint32Array(SCORE_BINS),
        predCount: 0,
        predSum: 0,
        predMin: Infinity,
        predMax: -Infinity,
        outsideUnit: 0,
        tp: 0,
        fp: 0,
        tn: 0,
        fn: 0,
      };
    }
    return c;
  }

  private sampleWindow(s: KeyState, at: number): SampleWindow {
    const slot = Math.floor(at / this.o.sampleWindowMs);
    const i = slot % this.sampleWindows;
    let w = s.samples[i];
    if (!w || w.slot !== slot) w = s.samples[i] = { slot, seen: 0, rows: [] };
    return w;
  }

  /** Called after each record (with its time): what shares the counts with other instances listens here. Returns the removal. */
  onRecord(listener: (key: string, at: number, args: RecordArgs) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Called after each feedback counted (its time and what it added): what shares the counts with other instances listens here. */
  onFeedback(listener: (key: string, at: number, counts: FeedbackCounts) => void): () => void {
    this.feedbackListeners.add(listener);
    return () => this.feedbackListeners.delete(listener);
  }

  /**
   * Called once per alert episode, when a feature's drift crosses the alert level (not again while
   * it stays raised): the owner's notifications listen here. A listener's failure is its own.
   */
  onAlert(listener: (key: string, alert: DriftAlert) => void): () => void {
    this.alertListeners.add(listener);
    return () => this.alertListeners.delete(listener);
  }

  private raised(key: string, alerts: readonly DriftAlert[]): void {
    for (const alert of alerts)
      for (const l of this.alertListeners) {
        try {
          l(key, alert);
        } catch {
          // a listener never fails a prediction or a stats read
        }
      }
  }

  /** One request to a key. */
  record(key: string, args: RecordArgs): void {
    const at = this.now();
    for (const l of this.listeners) l(key, at, args);
    const s = this.state(key, true)!;
    const c = this.counters(s, at);
    const sl = this.slice(s, at);
    c.requests++;
    if (args.error) c.errors++;
    if (args.latencyMs !== undefined) {
      const latency = Number.isFinite(args.latencyMs) && args.latencyMs > 0 ? args.latencyMs : 0;
      c.latencySum += latency;
      c.timed++;
      sl.latency[latencyBin(latency)]++;
    }
    const rows = args.rows ?? [];
    c.rows += rows.length;
    if (rows.length > 0) {
      const w = this.sampleWindow(s, at);
      for (const row of rows) {
        w.seen++;
        // Algorithm R: every row seen in the window is kept with probability sampleRows / seen.
        const j = w.rows.length < this.o.sampleRows ? w.rows.length : Math.floor(this.random() * w.seen);
        if (j < this.o.sampleRows) {
          const width = Math.min(row.length, this.o.maxFeatures);
          const copy = new Float32Array(width);
          for (let f = 0; f < width; f++) copy[f] = row[f];
          w.rows[j] = copy;
        }
      }
    }
    const outputs = args.outputs;
    if (outputs && !args.error) {
      for (const out of outputs) {
        const v = out[0];
        if (!Number.isFinite(v)) continue;
        sl.predCount++;
        sl.predSum += v;
        if (v < sl.predMin) sl.predMin = v;
        if (v > sl.predMax) sl.predMax = v;
        const b = scoreBin(v);
        if (b < 0) sl.outsideUnit++;
        else sl.scores[b]++;
      }
      if (args.requestId && outputs.length > 0 && outputs.length <= this.o.pendingRows) {
        if (this.pending.size >= this.o.pendingMax) this.pending.deleteOldest();
        const scores = new Float32Array(outputs.length);
        for (let i = 0; i < outputs.length; i++) scores[i] = outputs[i][0];
        this.pending.set(args.requestId, { key, callerId: args.callerId, scores, threshold: args.threshold ?? 0.5 });
      }
    }
    if (s.reference && !this.sharedDrift(s, at) && at - s.lastStepAt >= this.o.evaluateEveryMs / s.reference.features.length) this.step(key, s, at);
  }

  /** The prediction a request id is waiting for feedback with, if it is still kept. */
  pendingFor(requestId: string): PendingPrediction | undefined {
    return this.pending.get(requestId);
  }

  /**
   * Ground truth for a request's rows (0 or 1 each, as many as it had rows): counted in the
   * confusion matrix of the request's key at the time the feedback arrives. A request takes one feedback.
   */
  feedback(requestId: string, labels: readonly number[]): FeedbackResult {
    const p = this.pending.get(requestId);
    if (!p) return { ok: false, reason: "unknown" };
    if (labels.length !== p.scores.length) return { ok: false, reason: "rows" };
    if (labels.some((l) => l !== 0 && l !== 1)) return { ok: false, reason: "label" };
    this.pending.delete(requestId);
    const s = this.state(p.key, false);
    if (!s) return { ok: true, key: p.key }; // the key was dropped since; nothing to count into
    const at = this.now();
    const sl = this.slice(s, at);
    const counts: FeedbackCounts = { tp: 0, fp: 0, tn: 0, fn: 0 };
    labels.forEach((label, i) => {
      const predicted = p.scores[i] >= p.threshold ? 1 : 0;
      if (predicted === 1 && label === 1) counts.tp++;
      else if (predicted === 1) counts.fp++;
      else if (label === 1) counts.fn++;
      else counts.tn++;
    });
    sl.tp += counts.tp;
    sl.fp += counts.fp;
    sl.tn += counts.tn;
    sl.fn += counts.fn;
    for (const l of this.feedbackListeners) l(p.key, at, counts);
    return { ok: true, key: p.key };
  }

  /** The reference drift is measured against (null: none, drift not measured). */
  /**
   * `tag` names the reference's content (its stored text): the same tag again changes nothing,
   * so a reader may set what it read each time without resetting the drift results.
   */
  setReference(key: string, reference: TrainingReference | null, tag?: string): void {
    const s = this.state(key, false) ?? (reference ? this.state(key, true)! : undefined);
    if (!s || s.reference === reference || (tag !== undefined && tag === s.referenceTag)) return;
    s.reference = reference;
    s.referenceTag = tag;
    s.lastDrift = [];
    s.lastFullAt = -Infinity;
    s.nextFeature = 0;
    s.binning = undefined;
    s.sharedAt = -Infinity;
  }

  /** The drift settings a shared evaluation follows (window, period, minimum rows, thresholds). */
  get driftSettings(): { windowMs: number; evaluateEveryMs: number; minSamples: number; maxFeatures: number; thresholds: DriftThresholds } {
    return { windowMs: this.o.driftWindowMs, evaluateEveryMs: this.o.evaluateEveryMs, minSamples: this.o.minDriftSamples, maxFeatures: this.o.maxFeatures, thresholds: this.thresholds };
  }

  /** The key's reference bins (its first maxFeatures features) and their tag; null without a reference. */
  driftBinning(key: string): DriftBinning | null {
    const s = this.keys.get(key);
    if (!s?.reference) return null;
    if (s.binning === undefined) {
      const ref = { features: s.reference.features.slice(0, this.o.maxFeatures) };
      s.binning = { tag: referenceTag(s.referenceTag || JSON.stringify(s.reference)), bins: referenceBins(ref) };
    }
    return s.binning;
  }

  /** Keys with a reference, recorded within the drift window (those a shared evaluation looks at). */
  keysWithReference(): string[] {
    const at = this.now();
    const out: string[] = [];
    for (const [k, s] of this.keys) if (s.reference && s.counters.some((c) => c && (c.slot + 1) * this.o.bucketMs > at - this.o.driftWindowMs)) out.push(k);
    return out;
  }

  /** Whether drift over every instance's traffic stands in for this instance's own (applied within three periods). */
  private sharedDrift(s: KeyState, at: number): boolean {
    return at - s.sharedAt < 3 * this.o.evaluateEveryMs;
  }

  /**
   * Drift measured over every instance's traffic (ml from summed bin counts: ./drift-bins.ts,
   * lib/server/services/serving/shared-metrics.ts): it replaces this instance's own evaluation
   * for three evaluation periods, and raises alerts as an own evaluation would. `results` empty:
   * not enough rows yet (alerts untouched).
   */
  applySharedDrift(key: string, results: readonly FeatureDrift[], samples: number): void {
    const s = this.state(key, false);
    if (!s?.reference) return;
    const at = this.now();
    s.sharedAt = s.lastFullAt = s.lastStepAt = at;
    s.sharedSamples = samples;
    const position = new Map(s.reference.features.map((f, i) => [f.name, i]));
    s.lastDrift = [];
    for (const r of results) {
      const i = position.get(r.feature);
      if (i !== undefined) s.lastDrift[i] = r;
    }
    if (results.length) this.raised(key, s.alerts.update(results, at));
  }

  /** Whether the key has been recorded (and not dropped). */
  has(key: string): boolean {
    return this.keys.has(key);
  }

  hasReference(key: string): boolean {
    return !!this.keys.get(key)?.reference;
  }

  /** The live columns of the drift window (a proportional merge of the windows' reservoirs); only column `only` when given. */
  private driftColumns(s: KeyState, at: number, only?: number): { columns: number[][]; samples: number } {
    const first = Math.floor((at - this.o.driftWindowMs) / this.o.sampleWindowMs) + 1;
    const windows = s.samples.filter((w): w is SampleWindow => !!w && w.slot >= first && w.rows.length > 0);
    // Each window's reservoir is a uniform sample of its rows; take from each in proportion to
    // the rows it saw, so a busy minute weighs more than a quiet one.
    let scale = Infinity;
    for (const w of windows) scale = Math.min(scale, w.rows.length / w.seen);
    const columns: number[][] = [];
    let samples = 0;
    for (const w of windows) {
      const take = Math.min(w.rows.length, Math.max(1, Math.round(w.seen * scale)));
      for (let r = 0; r < take; r++) {
        const row = w.rows[r];
        if (only !== undefined) {
          if (only < row.length) (columns[only] ??= []).push(row[only]);
        } else for (let f = 0; f < row.length; f++) (columns[f] ??= []).push(row[f]);
      }
      samples += take;
    }
    return { columns, samples };
  }

  /** One feature's tests (the next in turn), its alert state updated. */
  private step(key: string, s: KeyState, at: number): void {
    s.lastStepAt = at;
    const ref = s.reference!;
    const i = s.nextFeature % ref.features.length;
    s.nextFeature = i + 1;
    const { columns, samples } = this.driftColumns(s, at, i);
    if (samples < this.o.minDriftSamples || !columns[i]?.length) return;
    const tested = Math.min(ref.features.length, this.widthOf(s));
    const result = compareFeature(ref, i, columns[i], this.thresholds, tested);
    s.lastDrift[i] = result;
    this.raised(key, s.alerts.update([result], at));
  }

  /** Columns of the rows sampled (the newest window's first row). */
  private widthOf(s: KeyState): number {
    let width = 0;
    for (const w of s.samples) if (w?.rows[0]) width = Math.max(width, w.rows[0].length);
    return width;
  }

  /** Every feature's tests now. */
  private evaluate(key: string, s: KeyState, at: number): FeatureDrift[] {
    s.lastFullAt = s.lastStepAt = at;
    if (!s.reference) return (s.lastDrift = []);
    const { columns, samples } = this.driftColumns(s, at);
    if (samples < this.o.minDriftSamples) {
      s.lastFullAt = -Infinity; // not enough rows yet: nothing worth reusing
      return (s.lastDrift = []);
    }
    const ref = s.reference;
    const tested = ref.features.filter((_, i) => (columns[i]?.length ?? 0) > 0).length;
    s.lastDrift = ref.features.map((_, i) => (columns[i]?.length ? compareFeature(ref, i, columns[i], this.thresholds, tested) : undefined));
    const results = s.lastDrift.filter((d): d is FeatureDrift => !!d);
    this.raised(key, s.alerts.update(results, at));
    return results;
  }

  /**
   * Every feature's drift now, unless a full evaluation is younger than maxAgeMs (then the latest
   * results): [] without a reference or enough rows. Readers pass a maxAge so that many of them
   * cost one evaluation (~50 ms for 30 features) per key and period.
   */
  evaluateDrift(key: string, maxAgeMs = 0): FeatureDrift[] {
    const s = this.state(key, false);
    if (!s) return [];
    const at = this.now();
    if ((maxAgeMs > 0 && at - s.lastFullAt < maxAgeMs) || this.sharedDrift(s, at)) return s.lastDrift.filter((d): d is FeatureDrift => !!d);
    return this.evaluate(key, s, at);
  }

  /** The key's traffic over the last windowMs (at most the buckets kept), with its latest drift and alerts. */
  stats(key: string, windowMs: number): EndpointStats {
    const at = this.now();
    const { bucketMs, buckets, bucketsPerSlice } = this.o;
    const n = Math.max(1, Math.min(buckets, Math.ceil(windowMs / bucketMs)));
    const lastSlot = Math.floor(at / bucketMs);
    const firstSlot = lastSlot - n + 1;
    const s = this.keys.get(key);
    const series: SeriesPoint[] = [];
    let requests = 0;
    let errors = 0;
    let rows = 0;
    let latencySum = 0;
    let timed = 0;
    for (let slot = firstSlot; slot <= lastSlot; slot++) {
      const c = s?.counters[slot % buckets];
      const hit = c && c.slot === slot ? c : undefined;
      series.push({ t: slot * bucketMs, requests: hit?.requests ?? 0, errors: hit?.errors ?? 0, rows: hit?.rows ?? 0, meanLatencyMs: hit && hit.timed > 0 ? hit.latencySum / hit.timed : null });
      if (hit) {
        requests += hit.requests;
        errors += hit.errors;
        rows += hit.rows;
        latencySum += hit.latencySum;
        timed += hit.timed;
      }
    }
    // Histograms: the slices overlapping the window (a slice is bucketsPerSlice buckets).
    const latency = new Uint32Array(LATENCY_BINS);
    const scores = new Array<number>(SCORE_BINS).fill(0);
    const pred = { count: 0, sum: 0, min: Infinity, max: -Infinity, outsideUnit: 0 };
    const fb = { tp: 0, fp: 0, tn: 0, fn: 0 };
    const firstSlice = Math.floor(firstSlot / bucketsPerSlice);
    for (let slot = firstSlice; slot <= Math.floor(lastSlot / bucketsPerSlice); slot++) {
      const sl = s?.slices[slot % this.slices];
      if (!sl || sl.slot !== slot) continue;
      addCounts(latency, sl.latency);
      addCounts(scores, sl.scores);
      pred.count += sl.predCount;
      pred.sum += sl.predSum;
      pred.min = Math.min(pred.min, sl.predMin);
      pred.max = Math.max(pred.max, sl.predMax);
      pred.outsideUnit += sl.outsideUnit;
      fb.tp += sl.tp;
      fb.fp += sl.fp;
      fb.tn += sl.tn;
      fb.fn += sl.fn;
    }
    const labelled = fb.tp + fb.fp + fb.tn + fb.fn;
    const drift = s ? (this.sharedDrift(s, at) ? s.sharedSamples : this.driftColumns(s, at).samples) : 0;
    return {
      windowMs: n * bucketMs,
      bucketMs,
      series,
      requests,
      errors,
      errorRate: ratio(errors, requests),
      requestsPerSecond: requests / ((n * bucketMs) / 1000),
      rows,
      latencyMs: { p50: latencyQuantile(latency, 0.5), p99: latencyQuantile(latency, 0.99), mean: ratio(latencySum, timed) },
      predictions: {
        count: pred.count,
        min: pred.count ? pred.min : null,
        max: pred.count ? pred.max : null,
        mean: ratio(pred.sum, pred.count),
        histogram: scores,
        outsideUnit: pred.outsideUnit,
      },
      feedback: {
        count: labelled,
        ...fb,
        accuracy: ratio(fb.tp + fb.tn, labelled),
        precision: ratio(fb.tp, fb.tp + fb.fp),
        recall: ratio(fb.tp, fb.tp + fb.fn),
      },
      drift: { features: (s?.lastDrift ?? []).filter((d): d is FeatureDrift => !!d), samples: drift, hasReference: !!s?.reference },
      alerts: { active: s?.alerts.active ?? [], recent: s ? [...s.alerts.list] : [] },
    };
  }
}
