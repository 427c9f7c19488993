"use client";
// 2–10 runs side by side: each shared metric's curves overlaid, a param diff that marks values
// that differ, latest metrics, and parallel coordinates over the params and metrics that vary.
import { useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useMemo, useState } from "react";
import { useErrorMessage } from "@/components/class/use-error-message";
import { Alert } from "@/components/ui/alert";
import { Card } from "@/components/ui/card";
import { Link } from "@/lib/i18n/navigation";
import { useTRPC } from "@/lib/trpc/react";
import { formatMetric } from "./format";
import { overlaidSpec, parallelSpec } from "./specs";
import { StatusBadge } from "./status-badge";
import { VegaChart } from "@/components/ui/vega-chart";

export function CompareRuns({ ids }: { ids: string[] }) {
  const t = useTranslations("tracking.compare");
  const tc = useTranslations("tracking.common");
  const tr = useTranslations("tracking.run");
  const runLabel = useTranslations("tracking.runs")("run");
  const trpc = useTRPC();
  const toMessage = useErrorMessage();
  const [onlyDiff, setOnlyDiff] = useState(false);
  const cmp = useQuery({ ...trpc.tracking.compare.queryOptions({ runIds: ids }), retry: false });
  const data = cmp.data;
  // Keep the order of the link's ids; disambiguate equal run names with a short id.
  const runs = useMemo(() => {
    if (!data) return [];
    const byId = new Map(data.rows.map((r) => [r.info.runId, r]));
    const ordered = ids.map((id) => byId.get(id)).filter((r) => r !== undefined);
    const names = new Map<string, number>();
    ordered.forEach((r) => names.set(r.info.runName, (names.get(r.info.runName) ?? 0) + 1));
    return ordered.map((r) => ({ row: r, label: names.get(r.info.runName)! > 1 ? `${r.info.runName} (${r.info.runId.slice(0, 6)})` : r.info.runName }));
  }, [data, ids]);

  const curveSpecs = useMemo(() => {
    if (!data) return [];
    return data.metricKeys
      .map((key) => {
        const series = runs.map((r) => ({ run: r.label, points: data.histories[r.row.info.runId]?.[key] ?? [] })).filter((s) => s.points.length > 0);
        return { key, spec: series.length ? overlaidSpec(key, series, { step: tr("step"), value: tr("value"), run: runLabel }) : null };
      })
      .filter((c) => c.spec !== null);
  }, [data, runs, tr, runLabel]);

  const parallel = useMemo(() => {
    if (!data) return null;
    const axes = [...data.paramKeys.map((k) => `params.${k}`), ...data.metricKeys.map((k) => `metrics.${k}`)];
    const pruns = runs.map((r) => ({
      run: r.label,
      values: Object.fromEntries([
        ...Object.entries(r.row.params).map(([k, v]) => [`params.${k}`, v]),
        ...Object.entries(r.row.metrics).map(([k, v]) => [`metrics.${k}`, v]),
      ]),
    }));
    // Axes on which every run agrees say nothing; drop them unless that leaves too few.
    const varying = axes.filter((a) => new Set(pruns.map((p) => String(p.values[a]))).size > 1);
    return parallelSpec(varying.length >= 2 ? varying : axes, pruns, { run: runLabel, axis: tr("key"), value: tr("value") });
  }, [data, runs, t, tr, runLabel]);

  if (cmp.error) return <Alert tone="error" testId="compare-error">{toMessage(cmp.error)}</Alert>;
  if (!data) return <p className="text-sm text-stone-500">{tc("loading")}</p>;

  const differs = (values: (string | undefined)[]) => new Set(values.map((v) => v ?? "\u0000")).size > 1;
  const paramRows = data.paramKeys.map((k) => ({ key: k, values: runs.map((r) => r.row.params[k]) })).map((p) => ({ ...p, differs: differs(p.values) }));
  const shownParams = onlyDiff ? paramRows.filter((p) => p.differs) : paramRows;

  return (
    <div className="flex flex-col gap-4" data-testid="compare-page">
      <h1 className="text-2xl font-bold">{t("title")}</h1>
      <Card className="overflow-x-auto">
        <table className="w-full text-sm" data-testid="compare-params">
          <thead>
            <tr className="border-b border-stone-200 text-left">
              <th className="py-1.5 pr-4 font-semibold">
                {t("paramDiff")}
                <label className="ml-3 inline-flex items-center gap-1 text-xs font-normal text-stone-600">
                  <input type="checkbox" checked={onlyDiff} onChange={(e) => setOnlyDiff(e.target.checked)} data-testid="only-diff" />
                  {t("onlyDiff")}
                </label>
              </th>
              {runs.map((r) => (
                <th key={r.row.info.runId} className="px-2 py-1.5" data-testid="compare-run-header">
                  <Link href={`/runs/${r.row.info.runId}`} className="text-accent hover:underline">{r.label}</Link>
                  <div className="mt-0.5 flex items-center gap-1 text-xs font-normal text-stone-500">
                    <StatusBadge status={r.row.info.status} /> {r.row.info.userName}
                  </div>
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="divide-y divide-stone-100">
            {shownParams.map((p) => (
              <tr key={p.key} data-testid="param-diff-row" data-differs={p.differs ? "true" : "false"} className={p.differs ? "bg-amber-50" : ""}>
                <td className="py-1 pr-4 font-mono text-xs">
                  {p.key}
                  {p.differs && <span className="ml-2 rounded bg-amber-200 px-1 font-sans text-[10px] uppercase text-amber-900">{t("differs")}</span>}
                </td>
                {p.values.map((v, n) => (
                  <td key={n} className={`px-2 py-1 font-mono text-xs ${p.differs ? "font-semibold text-amber-900" : "text-stone-600"}`}>{v ?? t("missing")}</td>
                ))}
              </tr>
            ))}
            <tr className="border-t-2 border-stone-200">
              <th className="pt-3 pb-1 text-left font-semibold" colSpan={runs.length + 1}>{t("metricTable")}</th>
            </tr>
            {data.metricKeys.map((k) => {
              const vals = runs.map((r) => r.row.metrics[k]);
              const finite = vals.filter((v): v is number => v !== undefined && Number.isFinite(v));
              const lo = Math.min(...finite);
              const hi = Math.max(...finite);
              return (
                <tr key={k} data-testid="metric-compare-row">
                  <td className="py-1 pr-4 font-mono text-xs">{k}</td>
                  {vals.map((v, n) => (
                    <td key={n} className={`px-2 py-1 font-mono text-xs tabular-nums ${finite.length > 1 && lo !== hi && (v === lo || v === hi) ? "font-semibold" : ""}`}>
                      {v === undefined ? t("missing") : formatMetric(v)}
                    </td>
                  ))}
                </tr>
              );
            })}
          </tbody>
        </table>
      </Card>
      <Card>
        <h2 className="mb-2 font-semibold">{t("curves")}</h2>
        {curveSpecs.length === 0 ? (
          <p className="text-sm text-stone-500">{t("noCurves")}</p>
        ) : (
          <div className="grid gap-4 lg:grid-cols-2">
            {curveSpecs.map((c) => (
              <VegaChart key={c.key} spec={c.spec!} testId={`compare-chart-${c.key}`} label={c.key} />
            ))}
          </div>
        )}
      </Card>
      <Card>
        <h2 className="font-semibold">{t("parallel")}</h2>
        <p className="mb-2 text-xs text-stone-500">{t("parallelHint")}</p>
        {parallel ? <VegaChart spec={parallel} testId="parallel-chart" label={t("parallel")} /> : <p className="text-sm text-stone-500">{t("parallelEmpty")}</p>}
      </Card>
    </div>
  );
}
