// lib/serving/monitoring/shared-buckets.ts: the per-second deltas one instance pushes, summed as a
// store sums them (field by field, min of mins, max of maxes), give the same traffic figures as one
// recorder that saw every request (and every feedback).
import { describe, expect, it } from "vitest";
import { DeltaBuffer, DRIFT_SLOT_MS, driftSlots, sharedDriftCounts, sharedTraffic, type SecondDelta, type StoredSecond } from "@/lib/serving/monitoring/shared-buckets";
import { binnedDrift, countRow } from "@/lib/serving/monitoring/drift-bins";
import { compareToReference } from "@/lib/serving/monitoring/drift-check";
import type { TrainingReference } from "@/lib/serving/monitoring/reference";
import { TrafficRecorder, type RecordArgs } from "@/lib/serving/monitoring/recorder";

/** What Redis's HINCRBYFLOAT and the min/max script make of several pushes. */
function sumLikeStore(deltas: SecondDelta[]): Map<string, StoredSecond[]> {
  const byKey = new Map<string, Map<number, Record<string, number>>>();
  for (const d of deltas) {
    const seconds = byKey.get(d.key) ?? byKey.set(d.key, new Map()).get(d.key)!;
    const f = seconds.get(d.second) ?? seconds.set(d.second, {}).get(d.second)!;
    for (const [k, v] of Object.entries(d.add)) f[k] = (f[k] ?? 0) + v;
    if (d.min !== null) f.pmin = f.pmin === undefined ? d.min : Math.min(f.pmin, d.min);
    if (d.max !== null) f.pmax = f.pmax === undefined ? d.max : Math.max(f.pmax, d.max);
  }
  const out = new Map<string, StoredSecond[]>();
  for (const [key, seconds] of byKey)
    out.set(key, [...seconds].map(([second, f]) => ({ second, fields: Object.fromEntries(Object.entries(f).map(([k, v]) => [k, String(v)])) })));
  return out;
}

describe("shared traffic buckets", () => {
  it("two instances' pushes, summed, equal one recorder that saw all requests", () => {
    let now = 1_700_000_000_000;
    const clock = () => now;
    const all = new TrafficRecorder({ now: clock });
    const instances = [new TrafficRecorder({ now: clock }), new TrafficRecorder({ now: clock })];
    const buffers = instances.map((r) => {
      const b = new DeltaBuffer();
      r.onRecord((key, at, args) => b.add(key, at, args));
      return b;
    });
    const pushed: SecondDelta[] = [];
    for (let i = 0; i < 300; i++) {
      now += 37;
      const args: RecordArgs =
        i % 17 === 0
          ? { error: true, latencyMs: 3, rows: [[1, 2]] }
          : i % 23 === 0
            ? { error: true } // refused before the model: counted, untimed
            : { latencyMs: 0.5 + (i % 9) * 1.3, rows: [[i, 1], [2, i]], outputs: [[(i % 10) / 10], [i % 7 === 0 ? 3.5 : 0.95]] };
      all.record("k", args);
      instances[i % 2].record("k", args);
      if (i % 40 === 0) for (const b of buffers) pushed.push(...b.drain()); // pushes come at any time
    }
    for (const b of buffers) pushed.push(...b.drain());
    const merged = sharedTraffic(sumLikeStore(pushed).get("k")!, 60, now);
    const one = all.stats("k", 60_000);
    expect(merged.requests).toBe(one.requests);
    expect(merged.errors).toBe(one.errors);
    expect(merged.rows).toBe(one.rows);
    expect(merged.series).toEqual(one.series.map((p) => ({ ...p, meanLatencyMs: p.meanLatencyMs === null ? null : expect.closeTo(p.meanLatencyMs, 9) })));
    expect(merged.latencyMs.p50).toBe(one.latencyMs.p50);
    expect(merged.latencyMs.p99).toBe(one.latencyMs.p99);
    expect(merged.latencyMs.mean).toBeCloseTo(one.latencyMs.mean!, 9);
    expect(merged.predictions).toEqual({ ...one.predictions, mean: expect.closeTo(one.predictions.mean!, 9) });
    expect(merged.predictions.max).toBe(3.5);
    expect(merged.errorRate).toBe(one.errorRate);
  });

  it("feedback counted by two instances, summed, gives one recorder's accuracy, precision and recall; feedback alone adds no request", () => {
    let now = 1_700_000_000_000;
    const clock = () => now;
    const all = new TrafficRecorder({ now: clock });
    const instances = [new TrafficRecorder({ now: clock }), new TrafficRecorder({ now: clock })];
    const buffers = instances.map((r) => {
      const b = new DeltaBuffer();
      r.onRecord((key, at, args) => b.add(key, at, args));
      r.onFeedback((key, at, counts) => b.addFeedback(key, at, counts));
      return b;
    });
    for (let i = 0; i < 40; i++) {
      const args: RecordArgs = { latencyMs: 1, rows: [[i], [i + 1]], outputs: [[(i % 10) / 10], [((i * 7) % 10) / 10]], requestId: `r${i}`, threshold: i % 3 === 0 ? 0.3 : 0.5 };
      all.record("k", args);
      instances[i % 2].record("k", args);
    }
    const before = buffers.flatMap((b) => b.drain());
    for (let i = 0; i < 40; i++) {
      now += 211;
      const labels = [i % 2, (i * 5) % 3 === 0 ? 1 : 0];
      if (i % 7 === 6) continue; // some predictions get no feedback
      expect(all.feedback(`r${i}`, labels).ok).toBe(true);
      expect(instances[i % 2].feedback(`r${i}`, labels).ok).toBe(true);
    }
    const after = buffers.flatMap((b) => b.drain());
    expect(after.every((d) => d.add.req === undefined)).toBe(true);
    const merged = sharedTraffic(sumLikeStore([...before, ...after]).get("k")!, 60, now);
    const one = all.stats("k", 60_000);
    expect(one.feedback.count).toBe(2 * 35);
    expect(one.feedback.tp * one.feedback.fn * one.feedback.fp * one.feedback.tn).toBeGreaterThan(0);
    expect(merged.feedback).toEqual(one.feedback);
    expect(merged.requests).toBe(40);
  });

  it("counts only the window's seconds, and an empty store gives zeros", () => {
    const b = new DeltaBuffer();
    b.add("k", 10_000, { latencyMs: 1, outputs: [[0.2]] });
    b.add("k", 70_500, { latencyMs: 2, outputs: [[0.7]] });
    const stored = sumLikeStore(b.drain()).get("k")!;
    const t = sharedTraffic(stored, 10, 71_000);
    expect(t.requests).toBe(1);
    expect(t.series).toHaveLength(10);
    expect(t.predictions).toMatchObject({ count: 1, min: 0.7, max: 0.7 });
    expect(sharedTraffic([], 10, 71_000)).toMatchObject({ requests: 0, errorRate: null, latencyMs: { p50: null, p99: null, mean: null }, predictions: { count: 0, min: null, max: null } });
  });

  it("deltas a push could not deliver are put back and added to what came since; the buffer is bounded", () => {
    const b = new DeltaBuffer(2);
    b.add("k", 1000, { latencyMs: 1, outputs: [[0.1]] });
    const failed = b.drain();
    b.add("k", 1500, { latencyMs: 1, outputs: [[0.9]] });
    b.restore(failed);
    const [d] = b.drain();
    expect(d).toMatchObject({ key: "k", second: 1, min: 0.1, max: 0.9 });
    expect(d.add.req).toBe(2);
    for (let s = 0; s < 5; s++) b.add("k", s * 1000, {});
    expect(b.size).toBe(2);
  });
});

describe("shared drift counts", () => {
  // a reference of two features, uniform on [0, 1) and on [0, 10)
  let s = 3;
  const u = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const reference: TrainingReference = { features: [{ name: "a", sample: Array.from({ length: 1000 }, u) }, { name: "b", sample: Array.from({ length: 1000 }, () => 10 * u()) }] };

  it("two recorders' binned inputs, summed as the store sums them, give the drift of one recorder that saw every row", () => {
    let now = 1_700_000_000_000;
    const clock = () => now;
    const all = new TrafficRecorder({ now: clock });
    const instances = [new TrafficRecorder({ now: clock }), new TrafficRecorder({ now: clock })];
    for (const r of [all, ...instances]) {
      r.record("k", {}); // the key exists
      r.setReference("k", reference, "ref-1");
    }
    const pushed: SecondDelta[] = [];
    const buffers = instances.map((r) => {
      const b = new DeltaBuffer(10_000, DRIFT_SLOT_MS);
      r.onRecord((key, at, args) => args.rows && b.addRows(key, at, args.rows, r.driftBinning(key)!));
      return b;
    });
    const rows: number[][] = [];
    for (let i = 0; i < 120; i++) {
      now += 900;
      const batch = Array.from({ length: 3 }, () => [u() * 0.7 + 0.3, 10 * u()]); // a drifts up
      rows.push(...batch);
      all.record("k", { rows: batch, latencyMs: 1, outputs: batch.map(() => [0.5]) });
      instances[i % 3 === 0 ? 0 : 1].record("k", { rows: batch, latencyMs: 1, outputs: batch.map(() => [0.5]) });
      if (i % 25 === 0) for (const b of buffers) pushed.push(...b.drain());
    }
    for (const b of buffers) pushed.push(...b.drain());
    const binning = all.driftBinning("k")!;
    expect(instances[0].driftBinning("k")).toEqual(binning); // same reference, same bins and tag
    const stored = sumLikeStore(pushed).get("k")!;
    expect(stored.length).toBeLessThanOrEqual(3); // 108 s of traffic: two or three minutes' hashes
    const { first, last } = driftSlots(300_000, now);
    const merged = sharedDriftCounts(stored, first, last, binning);
    const one: number[][] = [];
    for (const r of rows) countRow(binning.bins, one, r);
    expect(merged).toEqual(one);
    const drift = binnedDrift(binning.bins, merged);
    expect(drift.map((d) => d.samples)).toEqual([360, 360]);
    // against the exact tests over every row: PSI the same, KS within the documented error
    const exact = compareToReference(reference, [rows.map((r) => r[0]), rows.map((r) => r[1])]);
    drift.forEach((d, i) => {
      expect(d.psi).toBeCloseTo(exact[i].psi, 10);
      expect(d.ksStatistic).toBeLessThanOrEqual(exact[i].ksStatistic + 1e-12);
      expect(d.ksStatistic).toBeGreaterThanOrEqual(exact[i].ksStatistic - d.ksError - 1e-12);
    });
    expect(drift[0].level).toBe("alert");
    // applied to the recorder that saw a third (120 rows: too few to test alone): its alert
    // raised once, its stats showing every instance's rows
    expect(instances[0].evaluateDrift("k")).toEqual([]);
    const raised: string[] = [];
    instances[0].onAlert((_, a) => raised.push(a.feature));
    instances[0].applySharedDrift("k", drift, 360);
    instances[0].applySharedDrift("k", drift, 360);
    expect(raised).toEqual(["a"]);
    const st = instances[0].stats("k", 60_000);
    expect(st.drift.samples).toBe(360);
    expect(st.alerts.active.map((a) => a.feature)).toEqual(["a"]);
    // counts made with another reference's bins are left out
    expect(sharedDriftCounts(stored, first, last, { ...binning, tag: "00000000" })).toEqual([]);
    // nor do minutes past the window
    expect(sharedDriftCounts(stored, last + 1, last + 5, binning)).toEqual([]);
  });
});
