// Shadow comparisons (issue 13 point 4): in shadow mode the candidate version gets a copy of every
// request after the stable version has answered; its outputs are compared row by row with the
// stable ones and counted here, per endpoint, in this process's memory (never returned to the
// caller). Monitoring reads `shadowComparison(endpointId)` for the disagreement rate; with REDIS_URL
// listeners (`onShadowRecord`) share each comparison with other instances (./shared-metrics.ts).
import { processWide } from "@/lib/server/process-wide";

export interface ShadowComparison {
  endpointId: string;
  stableVersion: number;
  shadowVersion: number;
  /** Copies sent to the shadow version. */
  requests: number;
  /** Copies the shadow version failed on (its error is not the caller's). */
  errors: number;
  /** Rows compared, and those whose decision differs. */
  rows: number;
  disagreeingRows: number;
  /** Largest absolute difference of an output value seen. */
  maxAbsDiff: number;
  /** ms since the epoch of the last comparison. */
  lastAt: number;
}

const comparisons = (): Map<string, ShadowComparison> => processWide("servingShadowComparisons", () => new Map());

/** What one comparison added (a listener shares it with other instances: ./shared-metrics.ts). */
export type ShadowDelta = Omit<ShadowComparison, "lastAt"> & { at: number };

const listeners = (): Set<(d: ShadowDelta) => void> => processWide("servingShadowListeners", () => new Set());

/** Called after each comparison or shadow error in this process; returns the removal. */
export function onShadowRecord(listener: (d: ShadowDelta) => void): () => void {
  listeners().add(listener);
  return () => listeners().delete(listener);
}

function notify(d: ShadowDelta): void {
  for (const l of listeners()) l(d);
}

/** A row's decision: above the threshold for one output (default 0.5), the argmax for several. */
function decision(row: readonly number[], threshold: number): number {
  if (row.length === 1) return row[0] >= threshold ? 1 : 0;
  let best = 0;
  for (let i = 1; i < row.length; i++) if (row[i] > row[best]) best = i;
  return best;
}

/** Rows whose decision differs, and the largest absolute difference between two answers to the same rows. */
export function compareOutputs(a: readonly (readonly number[])[], b: readonly (readonly number[])[], threshold = 0.5): { rows: number; disagreeing: number; maxAbsDiff: number } {
  const rows = Math.min(a.length, b.length);
  let disagreeing = Math.abs(a.length - b.length);
  let maxAbsDiff = 0;
  for (let i = 0; i < rows; i++) {
    if (a[i].length !== b[i].length || decision(a[i], threshold) !== decision(b[i], threshold)) disagreeing++;
    for (let j = 0; j < Math.min(a[i].length, b[i].length); j++) maxAbsDiff = Math.max(maxAbsDiff, Math.abs(a[i][j] - b[i][j]));
  }
  return { rows: Math.max(a.length, b.length), disagreeing, maxAbsDiff };
}

function entry(endpointId: string, stableVersion: number, shadowVersion: number): ShadowComparison {
  const map = comparisons();
  let e = map.get(endpointId);
  if (!e || e.stableVersion !== stableVersion || e.shadowVersion !== shadowVersion) {
    // a new pair starts its own count
    e = { endpointId, stableVersion, shadowVersion, requests: 0, errors: 0, rows: 0, disagreeingRows: 0, maxAbsDiff: 0, lastAt: 0 };
    if (map.size >= 10_000) map.clear();
    map.set(endpointId, e);
  }
  return e;
}

export function recordShadowAnswer(endpointId: string, stableVersion: number, shadowVersion: number, stable: readonly (readonly number[])[], shadow: readonly (readonly number[])[], threshold?: number): void {
  const e = entry(endpointId, stableVersion, shadowVersion);
  const c = compareOutputs(stable, shadow, threshold);
  e.requests++;
  e.rows += c.rows;
  e.disagreeingRows += c.disagreeing;
  e.maxAbsDiff = Math.max(e.maxAbsDiff, c.maxAbsDiff);
  e.lastAt = Date.now();
  notify({ endpointId, stableVersion, shadowVersion, requests: 1, errors: 0, rows: c.rows, disagreeingRows: c.disagreeing, maxAbsDiff: c.maxAbsDiff, at: e.lastAt });
}

export function recordShadowError(endpointId: string, stableVersion: number, shadowVersion: number): void {
  const e = entry(endpointId, stableVersion, shadowVersion);
  e.requests++;
  e.errors++;
  e.lastAt = Date.now();
  notify({ endpointId, stableVersion, shadowVersion, requests: 1, errors: 1, rows: 0, disagreeingRows: 0, maxAbsDiff: 0, at: e.lastAt });
}

/** This process's comparison of the endpoint's current shadow pair (a copy), or null when none ran. */
export function shadowComparison(endpointId: string): ShadowComparison | null {
  const e = comparisons().get(endpointId);
  return e ? { ...e } : null;
}

/** Forget an endpoint's comparison (tests; a page's reset). */
export function resetShadowComparison(endpointId: string): void {
  comparisons().delete(endpointId);
}
