// The security headers on lean-route responses. next.config.mjs's headers() adds them to what
// Next serves; responses written by the lean layer never pass through Next, so the server takes
// the rule that covers every path ("/:path*") from the same config and adds it here, with an
// API response's locked-down CSP when the handler set none (an artifact download sets its own
// `sandbox; default-src 'none'`, which is kept).
import { apiCsp } from "@/lib/csp.mjs";
import type { HeaderList } from "./node-adapter";

export interface HeaderRule {
  source: string;
  headers: { key: string; value: string }[];
}

// Whatever the config says, a lean response never goes out without these.
const FLOOR: HeaderList = [
  ["x-content-type-options", "nosniff"],
  ["x-frame-options", "DENY"],
  ["cross-origin-resource-policy", "same-origin"],
  ["content-security-policy", apiCsp],
];

/** The headers for lean responses: the config's every-path rule, lowercased, over the floor. */
export function leanSecurityHeaders(rules: readonly HeaderRule[]): HeaderList {
  const out = new Map<string, string>(FLOOR.map(([k, v]) => [k, v]));
  for (const rule of rules)
    if (rule.source === "/:path*")
      for (const { key, value } of rule.headers) {
        const k = key.toLowerCase();
        // A page policy from the every-path rule (scripts, styles) is not the one for API data.
        if (k !== "content-security-policy") out.set(k, value);
      }
  return [...out];
}
