// Drift of live inputs against a version's training reference, feature by feature: PSI and the
// two-sample Kolmogorov–Smirnov test from ml.drift, a level per feature, and alerts with
// hysteresis — an alert is raised when a feature crosses the alert level and stays raised (one
// episode, one alert) until the feature is back under the warning level.
//
// Levels: PSI ≥ psiAlert (0.2) is an alert, psiWarn ≤ PSI < psiAlert (0.1–0.2) a warning. KS p <
// ksAlpha (0.01) alone is a warning: at live-traffic sample sizes KS flags shifts too small to
// matter; KS p < ksAlpha with PSI ≥ psiWarn is an alert. ksAlpha is for the model as a whole:
// with k features each is tested at ksAlpha / k (Bonferroni), or a 30-feature model would see a
// 1 % test fire by chance on a stable stream about one evaluation in four.
import { ksTest, psi } from "@/lib/ml/drift";
import type { TrainingReference } from "./reference";

export interface DriftThresholds {
  psiWarn: number;
  psiAlert: number;
  ksAlpha: number;
}

export const DEFAULT_DRIFT_THRESHOLDS: DriftThresholds = { psiWarn: 0.1, psiAlert: 0.2, ksAlpha: 0.01 };

export type DriftLevel = "ok" | "warn" | "alert";

export interface FeatureDrift {
  feature: string;
  psi: number;
  ksStatistic: number;
  ksPValue: number;
  level: DriftLevel;
  /** Live values compared. */
  samples: number;
}

export function driftLevel(psiValue: number, ksPValue: number, t: DriftThresholds = DEFAULT_DRIFT_THRESHOLDS): DriftLevel {
  const ks = ksPValue < t.ksAlpha;
  if (psiValue >= t.psiAlert || (ks && psiValue >= t.psiWarn)) return "alert";
  if (psiValue >= t.psiWarn || ks) return "warn";
  return "ok";
}

/**
 * Reference feature i against its live values. `tests` is how many features share ksAlpha
 * (Bonferroni): the reference's feature count when every feature is compared.
 */
export function compareFeature(reference: TrainingReference, i: number, live: readonly number[], t: DriftThresholds = DEFAULT_DRIFT_THRESHOLDS, tests = reference.features.length): FeatureDrift {
  const f = reference.features[i];
  const p = psi(f.sample, live, { bins: 10 });
  // Asymptotic p-values: the exact method costs O(n·m) per feature, too much on a live path.
  const ks = ksTest(f.sample, live, { method: "asymp" });
  const level = driftLevel(p, ks.pValue, { ...t, ksAlpha: t.ksAlpha / Math.max(1, tests) });
  return { feature: f.name, psi: p, ksStatistic: ks.statistic, ksPValue: ks.pValue, level, samples: live.length };
}

/**
 * Each reference feature against the live column in the same position (columns[i] are the
 * window's values of the model's i-th input). Features without live values are left out.
 */
export function compareToReference(reference: TrainingReference, columns: readonly (readonly number[])[], t: DriftThresholds = DEFAULT_DRIFT_THRESHOLDS): FeatureDrift[] {
  const compared = reference.features.filter((_, i) => (columns[i]?.length ?? 0) > 0).length;
  const out: FeatureDrift[] = [];
  reference.features.forEach((_, i) => {
    if (columns[i]?.length) out.push(compareFeature(reference, i, columns[i], t, compared));
  });
  return out;
}

export interface DriftAlert {
  feature: string;
  raisedAt: number;
  /** When the feature came back under the warning level; null while the episode lasts. */
  resolvedAt: number | null;
  psi: number;
  ksPValue: number;
}

/** Open episodes per feature, and the alerts raised (newest last, at most `max`). */
export class DriftAlerts {
  private readonly open = new Map<string, DriftAlert>();
  readonly list: DriftAlert[] = [];
  constructor(private readonly max = 100) {}

  /** Applies one evaluation; returns the alerts it raised (a feature already alerting raises none). */
  update(results: readonly FeatureDrift[], at: number): DriftAlert[] {
    const raised: DriftAlert[] = [];
    for (const r of results) {
      const current = this.open.get(r.feature);
      if (current) {
        if (r.level === "ok") {
          current.resolvedAt = at;
          this.open.delete(r.feature);
        }
      } else if (r.level === "alert") {
        const alert: DriftAlert = { feature: r.feature, raisedAt: at, resolvedAt: null, psi: r.psi, ksPValue: r.ksPValue };
        this.open.set(r.feature, alert);
        this.list.push(alert);
        if (this.list.length > this.max) this.list.shift();
        raised.push(alert);
      }
    }
    return raised;
  }

  get active(): DriftAlert[] {
    return [...this.open.values()];
  }
}
