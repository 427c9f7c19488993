// Drift from binned counts of the live inputs (issue 13 point 8): what lets instances share drift.
// Raw rows cannot be added up across instances, counts can: each live value is counted in a bin
// of its feature, the bins fixed by the version's training reference (the same on every instance,
// since they come from the same stored reference), and a window's drift is computed from the summed
// counts of every instance — the same figures as one instance that saw all the traffic.
//
// Bins per feature: the reference's 10 quantile edges PSI uses (exactly as ml.drift.psi computes
// them) together with its 100 quantile edges (percentiles), duplicates removed; at most 101 bins.
// A bin is [e(i-1), e(i)) with the outer bins open, as in psi.
//
// - PSI from the counts is exactly ml.drift.psi(reference sample, live values, { bins: 10 }):
//   every PSI bin is a union of fine bins.
// - KS: the live CDF is known at the edges only, so the statistic is taken there. It is never
//   above the true statistic D and at most `ksError` below it, `ksError` being the largest mass
//   one bin holds (of the reference or of the live values): D − ksError ≤ statistic ≤ D. The
//   reference's bins hold ~1 % each, so where the live values spread like the reference the error
//   is about 0.01. The p-value (asymptotic, as compareFeature's) is taken from that statistic: a
//   binned KS is never more alarmed than the exact one.
import { ksAsympPValue } from "@/lib/ml/drift";
import { DEFAULT_DRIFT_THRESHOLDS, driftLevel, type DriftThresholds, type FeatureDrift } from "./drift-check";
import type { TrainingReference } from "./reference";

export const PSI_BINS = 10;
export const KS_BINS = 100;
const PSI_EPS = 1e-4; // ml.drift.psi's default floor

export interface FeatureBins {
  name: string;
  /** Inner edges, ascending, distinct: edges.length + 1 bins. */
  edges: number[];
  /** The reference sample's count per bin. */
  reference: number[];
  referenceSize: number;
  /** The PSI bin each bin belongs to. */
  psiBin: number[];
  psiBins: number;
}

/** As ml.drift's linspace (the same arithmetic, so the PSI edges are the same numbers). */
function linspace(a: number, b: number, n: number): number[] {
  const step = (b - a) / (n - 1);
  const out = Array.from({ length: n }, (_, i) => i * step + a);
  out[n - 1] = b;
  return out;
}

/** As ml.drift.quantileOfSorted. */
function quantileOfSorted(s: readonly number[], q: number): number {
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  if (lo === hi) return s[lo];
  return s[lo] + (s[hi] - s[lo]) * (pos - lo);
}

const innerEdges = (sorted: readonly number[], bins: number) => Array.from(new Set(linspace(0, 1, bins + 1).map((q) => quantileOfSorted(sorted, q)).slice(1, -1))).sort((p, q) => p - q);

/** The bin of `x` among inner edges (the number of edges ≤ x, as ml.drift's bucket). */
export function binOf(edges: readonly number[], x: number): number {
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (edges[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Every feature's bins and reference counts, from the reference's samples. */
export function referenceBins(reference: TrainingReference): FeatureBins[] {
  return reference.features.map((f) => {
    const sorted = [...f.sample].sort((p, q) => p - q);
    const psiEdges = innerEdges(sorted, PSI_BINS);
    const edges = Array.from(new Set([...psiEdges, ...innerEdges(sorted, KS_BINS)])).sort((p, q) => p - q);
    const counts = new Array<number>(edges.length + 1).fill(0);
    for (const v of sorted) counts[binOf(edges, v)]++;
    // the PSI bin of fine bin i: where its lower edge falls among the PSI edges
    const psiBin = counts.map((_, i) => (i === 0 ? 0 : binOf(psiEdges, edges[i - 1])));
    return { name: f.name, edges, reference: counts, referenceSize: sorted.length, psiBin, psiBins: psiEdges.length + 1 };
  });
}

/** Adds one row's values to per-feature counts (counts[i][bin]); values past the features, or not finite, are left out. */
export function countRow(bins: readonly FeatureBins[], counts: number[][], row: ArrayLike<number>): void {
  const width = Math.min(bins.length, row.length);
  for (let i = 0; i < width; i++) {
    const v = row[i];
    if (!Number.isFinite(v)) continue;
    const c = (counts[i] ??= new Array<number>(bins[i].edges.length + 1).fill(0));
    c[binOf(bins[i].edges, v)]++;
  }
}

export interface BinnedFeatureDrift extends FeatureDrift {
  /** How far below the exact KS statistic the binned one may be (the largest bin's mass). */
  ksError: number;
}

/** PSI and KS of one feature from its live counts (as many as its bins); null without live values. */
export function binnedFeatureDrift(b: FeatureBins, live: readonly number[], t: DriftThresholds = DEFAULT_DRIFT_THRESHOLDS, tests = 1): BinnedFeatureDrift | null {
  let n = 0;
  for (const c of live) n += c;
  if (n <= 0) return null;
  const m = b.referenceSize;
  const pe = new Array<number>(b.psiBins).fill(0);
  const pa = new Array<number>(b.psiBins).fill(0);
  let fr = 0;
  let fl = 0;
  let d = 0;
  let err = 0;
  for (let i = 0; i < b.reference.length; i++) {
    const r = b.reference[i];
    const l = live[i] ?? 0;
    pe[b.psiBin[i]] += r;
    pa[b.psiBin[i]] += l;
    err = Math.max(err, r / m, l / n);
    fr += r;
    fl += l;
    d = Math.max(d, Math.abs(fr / m - fl / n));
  }
  let p = 0;
  for (let i = 0; i < b.psiBins; i++) {
    const e = Math.max(pe[i] / m, PSI_EPS);
    const a = Math.max(pa[i] / n, PSI_EPS);
    p += (a - e) * Math.log(a / e);
  }
  const pValue = ksAsympPValue(d, m, n);
  const level = driftLevel(p, pValue, { ...t, ksAlpha: t.ksAlpha / Math.max(1, tests) });
  return { feature: b.name, psi: p, ksStatistic: d, ksPValue: pValue, level, samples: n, ksError: err };
}

/** Every feature with live counts (Bonferroni over those compared, as compareToReference). */
export function binnedDrift(bins: readonly FeatureBins[], live: readonly (readonly number[] | undefined)[], t: DriftThresholds = DEFAULT_DRIFT_THRESHOLDS): BinnedFeatureDrift[] {
  const compared = bins.filter((_, i) => (live[i] ?? []).some((c) => c > 0)).length;
  const out: BinnedFeatureDrift[] = [];
  bins.forEach((b, i) => {
    const r = live[i] ? binnedFeatureDrift(b, live[i]!, t, compared) : null;
    if (r) out.push(r);
  });
  return out;
}

/** Adds counts b into a (per feature, per bin). */
export function addBinCounts(a: number[][], b: readonly (readonly number[] | undefined)[]): number[][] {
  b.forEach((c, i) => {
    if (!c) return;
    const t = (a[i] ??= new Array<number>(c.length).fill(0));
    c.forEach((v, j) => (t[j] = (t[j] ?? 0) + v));
  });
  return a;
}
