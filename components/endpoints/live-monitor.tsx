"use client";
// Live monitoring of an endpoint (monitoring.endpointStats, refetched every 2 s without reload):
// per version requests/s and errors over time, latency p50/p99, the prediction histogram,
// accuracy/precision/recall from feedback, drift per feature with alert banners, and the shadow
// version's disagreement rate. Charts are inline SVG with text alternatives.
import { useQuery } from "@tanstack/react-query";
import { useLocale, useTranslations } from "next-intl";
import { Alert } from "@/components/ui/alert";
import { Card } from "@/components/ui/card";
import { useTRPC } from "@/lib/trpc/react";
import type { ModelStats } from "@/lib/server/services/serving/monitoring";
import { BarChart, LineChart } from "./charts";
import { formatMs, formatNumber, formatRatio, fullestBin } from "./format";
import { LIVE_REFRESH_MS } from "./health";
import { useEndpointError } from "./use-endpoint-error";

const WINDOW_SECONDS = 60;
const levelTone: Record<string, string> = { ok: "text-green-700", warn: "text-amber-700", alert: "font-semibold text-red-700" };

type Stats = NonNullable<ModelStats["versions"][number]["stats"]>;

function VersionPanel({ version, stats, lang }: { version: number; stats: Stats; lang: string }) {
  const t = useTranslations("models.monitor");
  const req = stats.series.map((p) => p.requests);
  const err = stats.series.map((p) => p.errors);
  const alt = (title: string, values: number[]) =>
    t("chartAlt", { title, points: values.length, max: formatNumber(Math.max(0, ...values), lang), last: formatNumber(values.at(-1) ?? 0, lang) });
  const bin = fullestBin(stats.predictions.histogram);
  const binLabel = bin < 0 ? "—" : `[${formatNumber(bin / 20, lang)}, ${formatNumber((bin + 1) / 20, lang)})`;
  const fb = stats.feedback;
  return (
    <section className="flex flex-col gap-2 border-t border-stone-100 pt-3" data-testid="monitor-version" data-version={version}>
      <h3 className="font-semibold">{t("version", { version })}</h3>
      <p className="text-sm" aria-live="polite">
        <span data-testid="monitor-requests" data-count={stats.requests}>{t("requestsTotal", { count: stats.requests })}</span> ·{" "}
        {t("rps", { value: formatNumber(stats.requestsPerSecond, lang) })} · <span data-testid="monitor-error-rate">{t("errorRate", { value: formatRatio(stats.errorRate, lang) })}</span> ·{" "}
        {t("latency", { p50: formatMs(stats.latencyMs.p50, lang), p99: formatMs(stats.latencyMs.p99, lang) })}
      </p>
      <div className="grid gap-3 md:grid-cols-3">
        <LineChart title={t("requestsChart")} alt={alt(t("requestsChart"), req)} values={req} testId="chart-requests" />
        <LineChart title={t("errorsChart")} alt={alt(t("errorsChart"), err)} values={err} color="#b91c1c" testId="chart-errors" />
        <BarChart title={t("histogram")} alt={t("histogramAlt", { count: stats.predictions.count, bin: binLabel })} values={stats.predictions.histogram} testId="chart-histogram" />
      </div>
      <p className="text-sm" data-testid="monitor-feedback">
        {fb.count > 0
          ? t("feedback", { count: fb.count, accuracy: formatRatio(fb.accuracy, lang), precision: formatRatio(fb.precision, lang), recall: formatRatio(fb.recall, lang) })
          : t("noFeedback")}
      </p>
      <h4 className="text-sm font-medium">{t("drift")}</h4>
      {!stats.drift.hasReference ? (
        <p className="text-sm text-stone-600">{t("noReference")}</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="min-w-full text-sm" data-testid="drift-table">
            <thead className="text-left text-stone-500">
              <tr>
                <th className="py-1 pr-3">{t("feature")}</th>
                <th className="py-1 pr-3">{t("psi")}</th>
                <th className="py-1 pr-3">{t("ks")}</th>
                <th className="py-1 pr-3">{t("ksP")}</th>
                <th className="py-1">{t("level")}</th>
              </tr>
            </thead>
            <tbody>
              {stats.drift.features.map((f) => (
                <tr key={f.feature} className="border-t border-stone-100">
                  <td className="py-1 pr-3">{f.feature}</td>
                  <td className="py-1 pr-3">{formatNumber(f.psi, lang, 3)}</td>
                  <td className="py-1 pr-3">{formatNumber(f.ksStatistic, lang, 3)}</td>
                  <td className="py-1 pr-3">{formatNumber(f.ksPValue, lang, 4)}</td>
                  <td className={`py-1 ${levelTone[f.level] ?? ""}`}>{t(`level_${f.level}` as "level_ok")}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

export function LiveMonitor({ name }: { name: string }) {
  const t = useTranslations("models.monitor");
  const lang = useLocale();
  const trpc = useTRPC();
  const toMessage = useEndpointError();
  const stats = useQuery({ ...trpc.monitoring.endpointStats.queryOptions({ model: name, windowSeconds: WINDOW_SECONDS }), refetchInterval: LIVE_REFRESH_MS });
  const data = stats.data;
  return (
    <Card>
      <h2 className="font-semibold">{t("title")}</h2>
      <p className="text-xs text-stone-500">{t("hint", { seconds: WINDOW_SECONDS })}</p>
      {stats.error && <Alert tone="error">{toMessage(stats.error)}</Alert>}
      {data && (
        <div className="mt-2 flex flex-col gap-3">
          {data.alerts
            .filter((a) => a.active)
            .map((a) => (
              <Alert key={`${a.version}-${a.feature}-${a.raisedAt}`} tone="error" testId="drift-alert">
                {t("alert", { feature: a.feature, version: a.version, psi: formatNumber(a.psi, lang, 3) })}
              </Alert>
            ))}
          {data.shadow && (
            <p className="text-sm" data-testid="shadow-comparison">
              {t("shadow", {
                shadow: data.shadow.shadowVersion,
                stable: data.shadow.stableVersion,
                rows: data.shadow.rows,
                rate: formatRatio(data.shadow.disagreementRate, lang),
                errors: data.shadow.errors,
              })}
            </p>
          )}
          {data.versions.every((v) => v.stats === null) && <p className="text-sm text-stone-600" data-testid="monitor-none">{t("noTraffic")}</p>}
          {data.versions.map((v) => (v.stats ? <VersionPanel key={v.version} version={v.version} stats={v.stats} lang={lang} /> : null))}
        </div>
      )}
    </Card>
  );
}
