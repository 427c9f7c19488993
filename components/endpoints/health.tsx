"use client";
// One endpoint's live health in a table row: requests/s, error rate and p99 of the version that
// serves (monitoring.endpointStats, refreshed every 2 s), "no traffic" when this server saw none.
import { useQuery } from "@tanstack/react-query";
import { useLocale, useTranslations } from "next-intl";
import { useTRPC } from "@/lib/trpc/react";
import { formatMs, formatNumber, formatRatio } from "./format";

export const LIVE_REFRESH_MS = 2000;

export function HealthCells({ name }: { name: string }) {
  const t = useTranslations("models");
  const lang = useLocale();
  const trpc = useTRPC();
  const stats = useQuery({ ...trpc.monitoring.endpointStats.queryOptions({ model: name, windowSeconds: 60 }), refetchInterval: LIVE_REFRESH_MS });
  const seen = (stats.data?.versions ?? []).filter((v) => v.stats !== null);
  if (seen.length === 0) {
    return (
      <>
        <td className="py-1 pr-3 text-stone-500" colSpan={3} data-testid="endpoint-health">{stats.error ? "—" : t("noTraffic")}</td>
      </>
    );
  }
  let requests = 0;
  let errors = 0;
  let rps = 0;
  let p99: number | null = null;
  for (const v of seen) {
    const s = v.stats!;
    requests += s.requests;
    errors += s.errors;
    rps += s.requestsPerSecond;
    if (s.latencyMs.p99 !== null) p99 = Math.max(p99 ?? 0, s.latencyMs.p99);
  }
  return (
    <>
      <td className="py-1 pr-3" data-testid="endpoint-health">{formatNumber(rps, lang)}</td>
      <td className="py-1 pr-3">{formatRatio(requests > 0 ? errors / requests : null, lang)}</td>
      <td className="py-1 pr-3">{formatMs(p99, lang)}</td>
    </>
  );
}
