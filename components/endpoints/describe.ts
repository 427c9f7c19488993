// An endpoint state in a few words, for the audit list's from → to (pure).
import type { EndpointRow } from "@/lib/server/services/serving/policy";

/** An audit event's from/to state: the stored row's plain values (types only cross to the browser). */
export type StateLike = EndpointRow;

export function describeState(s: StateLike, modeLabel: (mode: string) => string, visibilityLabel: (v: string) => string): string {
  const v = (n: number | null) => (n === null ? "—" : `v${n}`);
  const parts = [modeLabel(s.mode)];
  if (s.mode === "single") parts.push(v(s.stableVersion));
  else {
    parts.push(`${v(s.stableVersion)} → ${v(s.candidateVersion)}`);
    if (s.mode === "canary") parts.push(`${s.canaryPercent} %`);
    if (s.mode === "ab") parts.push(`${s.abPercent} %`);
    if (s.mode === "blue-green") parts.push(s.liveColor);
  }
  parts.push(visibilityLabel(s.visibility));
  return parts.join(" · ");
}
