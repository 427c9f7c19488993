// Which version of an endpoint answers a request (issue 13 point 4), as a pure function of the
// endpoint's traffic policy, what the request asked for and who is calling. A request naming a
// version or a label is answered by it (the policy is bypassed); a request for "the model" goes
// where the policy says: single → the stable version; canary → the candidate with probability
// canaryPercent % (a fresh draw per request); A/B → the candidate for abPercent % of callers,
// sticky (a stable hash of caller and endpoint); blue/green → the live color's version (the other
// is kept warm); shadow → the stable version answers and the candidate gets a copy.
// Versions that are not available fall back to the stable one, then to the newest available.

export const DEPLOYMENT_MODES = ["single", "canary", "shadow", "blue-green", "ab"] as const;
export type DeploymentMode = (typeof DEPLOYMENT_MODES)[number];
export type LiveColor = "blue" | "green";

export interface TrafficPolicy {
  /** The endpoint's id (the registered model's id): part of the A/B hash, so arms differ between endpoints. */
  endpointId: string;
  mode: DeploymentMode;
  /** The version serving in single mode and the control arm elsewhere (blue in blue/green); null = the newest available. */
  stableVersion: number | null;
  /** The new version (canary, shadow, B arm; green in blue/green). */
  candidateVersion: number | null;
  /** 0–100. */
  canaryPercent: number;
  /** 0–100: callers assigned to the candidate. */
  abPercent: number;
  liveColor: LiveColor;
}

export interface RouteInput {
  /** The request named a version or a label: the policy does not apply. */
  explicit: boolean;
  /** Who is calling (a user id): A/B arms stick to it. */
  callerKey: string;
  /** Versions that can answer now (AVAILABLE). */
  available: ReadonlySet<number>;
  /** A draw in [0, 1) (canary); default Math.random. */
  random?: () => number;
}

export interface RouteDecision {
  /** The version to answer with; null = the request's own version/label, or the newest available (no policy). */
  version: number | null;
  /** A version that gets a copy of the request, its answer recorded and never returned (shadow). */
  shadowVersion: number | null;
  /** Which side of the policy the request went to (for metrics); "stable" without a policy. */
  arm: "stable" | "candidate";
}

const NONE: RouteDecision = { version: null, shadowVersion: null, arm: "stable" };

/** FNV-1a (32 bits) of a string: a stable, well-spread hash for sticky assignment. */
export function stableHash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  // final avalanche (murmur3 fmix32): neighbouring keys ("user-1", "user-2") spread evenly
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The caller's A/B bucket in [0, 100): the candidate arm is bucket < abPercent. */
export function abBucket(callerKey: string, endpointId: string): number {
  return (stableHash(`${callerKey}\n${endpointId}`) % 10_000) / 100;
}

function newest(available: ReadonlySet<number>): number | null {
  let best: number | null = null;
  for (const v of available) if (best === null || v > best) best = v;
  return best;
}

const clampPercent = (p: number): number => (Number.isFinite(p) ? Math.min(100, Math.max(0, p)) : 0);

export function routeVersion(policy: TrafficPolicy | null, input: RouteInput): RouteDecision {
  if (input.explicit || !policy) return NONE;
  const ok = (v: number | null): v is number => v !== null && input.available.has(v);
  const stable = ok(policy.stableVersion) ? policy.stableVersion : newest(input.available);
  const candidate = ok(policy.candidateVersion) ? policy.candidateVersion : null;
  const toStable: RouteDecision = { version: stable, shadowVersion: null, arm: "stable" };
  if (candidate === null || candidate === stable) return toStable;
  const toCandidate: RouteDecision = { version: candidate, shadowVersion: null, arm: "candidate" };
  switch (policy.mode) {
    case "single":
      return toStable;
    case "canary":
      return (input.random ?? Math.random)() * 100 < clampPercent(policy.canaryPercent) ? toCandidate : toStable;
    case "ab":
      return abBucket(input.callerKey, policy.endpointId) < clampPercent(policy.abPercent) ? toCandidate : toStable;
    case "blue-green":
      return policy.liveColor === "green" ? toCandidate : toStable;
    case "shadow":
      return { version: stable, shadowVersion: candidate, arm: "stable" };
  }
}

/** The versions a policy keeps loaded (blue/green keeps the idle color warm; canary, A/B and shadow use both). */
export function warmVersions(policy: TrafficPolicy | null): number[] {
  if (!policy) return [];
  const out = new Set<number>();
  if (policy.stableVersion !== null) out.add(policy.stableVersion);
  if (policy.mode !== "single" && policy.candidateVersion !== null) out.add(policy.candidateVersion);
  return [...out];
}
