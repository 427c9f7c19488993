// An endpoint's stored state (the Endpoint row) as plain values: what the audit log records as
// from → to, and the TrafficPolicy routing reads (lib/serving/traffic.ts). No row = the default
// state: private, single, the newest available version.
import { DEPLOYMENT_MODES, type DeploymentMode, type LiveColor, type TrafficPolicy } from "@/lib/serving/traffic";
import { VISIBILITIES, type Visibility } from "./access";

export interface EndpointState {
  visibility: Visibility;
  mode: DeploymentMode;
  stableVersion: number | null;
  candidateVersion: number | null;
  canaryPercent: number;
  abPercent: number;
  liveColor: LiveColor;
}

export const DEFAULT_ENDPOINT_STATE: EndpointState = Object.freeze({
  visibility: "private",
  mode: "single",
  stableVersion: null,
  candidateVersion: null,
  canaryPercent: 0,
  abPercent: 50,
  liveColor: "blue",
});

export interface EndpointRow {
  visibility: string;
  mode: string;
  stableVersion: number | null;
  candidateVersion: number | null;
  canaryPercent: number;
  abPercent: number;
  liveColor: string;
}

const oneOf = <T extends string>(values: readonly T[], v: unknown, fallback: T): T => (values.includes(v as T) ? (v as T) : fallback);
const intOrNull = (v: unknown): number | null => (typeof v === "number" && Number.isInteger(v) && v > 0 ? v : null);
const percent = (v: unknown, fallback: number): number => (typeof v === "number" && Number.isFinite(v) ? Math.min(100, Math.max(0, v)) : fallback);

/** A row (or a recorded state's JSON object) as a well-formed state; unknown values become the defaults. */
export function endpointState(row: Partial<EndpointRow> | null | undefined): EndpointState {
  if (!row) return { ...DEFAULT_ENDPOINT_STATE };
  return {
    visibility: oneOf(VISIBILITIES, row.visibility, "private"),
    mode: oneOf(DEPLOYMENT_MODES, row.mode, "single"),
    stableVersion: intOrNull(row.stableVersion),
    candidateVersion: intOrNull(row.candidateVersion),
    canaryPercent: percent(row.canaryPercent, 0),
    abPercent: percent(row.abPercent, 50),
    liveColor: row.liveColor === "green" ? "green" : "blue",
  };
}

/** A recorded state (DeploymentEvent.fromState / toState). */
export function parseEndpointState(json: string): EndpointState {
  try {
    const v: unknown = JSON.parse(json);
    return endpointState(v && typeof v === "object" ? (v as Partial<EndpointRow>) : null);
  } catch {
    return { ...DEFAULT_ENDPOINT_STATE };
  }
}

/** The routing policy of a stored endpoint; null without a row (the newest available version answers). */
export function trafficPolicyOf(endpointId: string, row: EndpointRow | null): TrafficPolicy | null {
  if (!row) return null;
  const s = endpointState(row);
  return { endpointId, mode: s.mode, stableVersion: s.stableVersion, candidateVersion: s.candidateVersion, canaryPercent: s.canaryPercent, abPercent: s.abPercent, liveColor: s.liveColor };
}

/** The version answering requests that the policy does not split (single's version, blue/green's live color, the control arm). */
export function servingVersionOf(s: EndpointState, ready: readonly number[]): number | null {
  const has = (v: number | null): v is number => v !== null && ready.includes(v);
  if (s.mode === "blue-green" && s.liveColor === "green" && has(s.candidateVersion)) return s.candidateVersion;
  if (has(s.stableVersion)) return s.stableVersion;
  return ready.length ? Math.max(...ready) : null;
}

/** The fields routing reads (everything but visibility), to compare and restore states. */
export const routingFields = (s: EndpointState): Omit<EndpointState, "visibility"> => ({
  mode: s.mode,
  stableVersion: s.stableVersion,
  candidateVersion: s.candidateVersion,
  canaryPercent: s.canaryPercent,
  abPercent: s.abPercent,
  liveColor: s.liveColor,
});
