"use client";
// Instructor view of a class: every student's runs of a lesson, the best run per student on a
// chosen metric, and the full list. The server checks that the caller teaches the class.
import { useQuery } from "@tanstack/react-query";
import { useLocale, useTranslations } from "next-intl";
import { useMemo, useState } from "react";
import { useErrorMessage } from "@/components/class/use-error-message";
import { Alert } from "@/components/ui/alert";
import { Card } from "@/components/ui/card";
import { Link, useRouter } from "@/lib/i18n/navigation";
import { useTRPC } from "@/lib/trpc/react";
import type { RunsTableRow } from "@/lib/server/services/tracking/views";
import { formatDateTime, formatMetric } from "./format";
import { StatusBadge } from "./status-badge";
import { listRefresh } from "./live";

/** Loss-like metrics are better low; everything else (accuracy, f1, auc…) high. */
export function lowerIsBetter(key: string): boolean {
  return /(loss|err|mse|mae|rmse|mape|logloss|brier|perplexity|latency|time|psi|drift)/i.test(key);
}

interface StudentBest {
  userId: string;
  name: string;
  runs: number;
  best: RunsTableRow | null;
  latest: RunsTableRow;
}

export function bestPerStudent(rows: RunsTableRow[], metric: string | null, lowIsBest: boolean): StudentBest[] {
  const by = new Map<string, StudentBest>();
  for (const r of rows) {
    const s = by.get(r.info.userId) ?? { userId: r.info.userId, name: r.info.userName, runs: 0, best: null, latest: r };
    s.runs += 1;
    if (r.info.startTime > s.latest.info.startTime) s.latest = r;
    const v = metric ? r.metrics[metric] : undefined;
    if (v !== undefined && !Number.isNaN(v)) {
      const cur = s.best ? s.best.metrics[metric!] : undefined;
      if (cur === undefined || (lowIsBest ? v < cur : v > cur)) s.best = r;
    }
    by.set(r.info.userId, s);
  }
  return [...by.values()].sort((a, b) => a.name.localeCompare(b.name));
}

export function ClassRuns({ classId, lessonSlug, lessons }: { classId: string; lessonSlug: string | null; lessons: { slug: string; title: string }[] }) {
  const t = useTranslations("tracking.classRuns");
  const tr = useTranslations("tracking.runs");
  const tc = useTranslations("tracking.common");
  const locale = useLocale();
  const router = useRouter();
  const trpc = useTRPC();
  const toMessage = useErrorMessage();
  const cls = useQuery(trpc.classes.get.queryOptions({ classId }));
  const runs = useQuery({ ...trpc.tracking.classRuns.queryOptions({ classId, lessonSlug: lessonSlug ?? undefined }), retry: false, refetchInterval: listRefresh });
  const metricKeys = runs.data?.metricKeys ?? [];
  const [metricChoice, setMetric] = useState<string | null>(null);
  const metric = metricChoice && metricKeys.includes(metricChoice) ? metricChoice : (metricKeys.find((k) => /val|test/i.test(k)) ?? metricKeys[0] ?? null);
  const [dirChoice, setDir] = useState<"min" | "max" | null>(null);
  const dir = dirChoice ?? (metric && lowerIsBetter(metric) ? "min" : "max");
  const students = useMemo(() => bestPerStudent(runs.data?.rows ?? [], metric, dir === "min"), [runs.data, metric, dir]);
  const lessonTitle = (slug: string | null) => (slug ? (lessons.find((l) => l.slug === slug)?.title ?? slug) : "—");

  if (cls.error) return <Alert tone="error" testId="class-runs-error">{toMessage(cls.error)}</Alert>;
  return (
    <div className="flex flex-col gap-4">
      <div>
        <Link href={`/classes/${classId}`} className="text-sm text-accent hover:underline">← {cls.data?.name ?? "…"}</Link>
        <h1 className="text-2xl font-bold">{t("title", { className: cls.data?.name ?? "…" })}</h1>
      </div>
      <div className="flex flex-wrap items-end gap-4">
        <label className="flex flex-col gap-1 text-sm">
          <span className="font-medium">{t("lesson")}</span>
          <select
            value={lessonSlug ?? ""}
            onChange={(e) => router.replace(e.target.value ? `/classes/${classId}/runs?lesson=${encodeURIComponent(e.target.value)}` : `/classes/${classId}/runs`)}
            className="rounded-md border border-stone-300 bg-white px-2 py-1.5"
            data-testid="class-runs-lesson"
          >
            <option value="">{t("allLessons")}</option>
            {lessons.map((l) => (
              <option key={l.slug} value={l.slug}>{l.title}</option>
            ))}
          </select>
        </label>
        {metricKeys.length > 0 && (
          <>
            <label className="flex flex-col gap-1 text-sm">
              <span className="font-medium">{t("metric")}</span>
              <select value={metric ?? ""} onChange={(e) => setMetric(e.target.value)} className="rounded-md border border-stone-300 bg-white px-2 py-1.5 font-mono" data-testid="class-runs-metric">
                {metricKeys.map((k) => (
                  <option key={k} value={k}>{k}</option>
                ))}
              </select>
            </label>
            <label className="flex flex-col gap-1 text-sm">
              <span className="font-medium">{t("direction")}</span>
              <select value={dir} onChange={(e) => setDir(e.target.value as "min" | "max")} className="rounded-md border border-stone-300 bg-white px-2 py-1.5">
                <option value="min">{t("min")}</option>
                <option value="max">{t("max")}</option>
              </select>
            </label>
          </>
        )}
      </div>
      {runs.error && <Alert tone="error" testId="class-runs-error">{toMessage(runs.error)}</Alert>}
      {runs.isPending && <p className="text-sm text-stone-500">{tc("loading")}</p>}
      {runs.data && runs.data.rows.length === 0 && <Card><p className="text-stone-600" data-testid="class-runs-empty">{t("empty")}</p></Card>}
      {students.length > 0 && (
        <Card className="overflow-x-auto p-0">
          <h2 className="px-3 pt-3 font-semibold">{t("byStudent")}</h2>
          <table className="w-full text-sm" data-testid="class-runs-students">
            <thead className="border-b border-stone-200 text-left text-xs text-stone-600">
              <tr>
                <th className="px-3 py-2">{t("student")}</th>
                <th className="px-3 py-2 text-right">{t("runs")}</th>
                <th className="px-3 py-2 text-right">{t("best", { metric: metric ?? "" })}</th>
                <th className="px-3 py-2">{t("bestRun")}</th>
                <th className="px-3 py-2">{t("lastStatus")}</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-stone-100">
              {students.map((s) => (
                <tr key={s.userId} data-testid="class-runs-student">
                  <td className="px-3 py-1.5 font-medium">{s.name}</td>
                  <td className="px-3 py-1.5 text-right tabular-nums">{s.runs}</td>
                  <td className="px-3 py-1.5 text-right font-mono text-xs tabular-nums" data-testid="class-runs-best">
                    {s.best && metric ? formatMetric(s.best.metrics[metric]) : t("noMetric")}
                  </td>
                  <td className="px-3 py-1.5">
                    {s.best ? <Link href={`/runs/${s.best.info.runId}`} className="text-accent hover:underline">{s.best.info.runName}</Link> : t("noMetric")}
                  </td>
                  <td className="px-3 py-1.5"><StatusBadge status={s.latest.info.status} /></td>
                </tr>
              ))}
            </tbody>
          </table>
        </Card>
      )}
      {runs.data && runs.data.rows.length > 0 && (
        <Card className="overflow-x-auto p-0">
          <h2 className="px-3 pt-3 font-semibold">{t("allRuns")}</h2>
          <table className="w-full text-sm" data-testid="class-runs-table">
            <thead className="border-b border-stone-200 text-left text-xs text-stone-600">
              <tr>
                <th className="px-3 py-2">{t("student")}</th>
                <th className="px-3 py-2">{tr("run")}</th>
                <th className="px-3 py-2">{t("lesson")}</th>
                <th className="px-3 py-2">{tr("status")}</th>
                <th className="px-3 py-2">{tr("start")}</th>
                {metric && <th className="px-3 py-2 text-right font-mono">{metric}</th>}
              </tr>
            </thead>
            <tbody className="divide-y divide-stone-100">
              {runs.data.rows.map((r) => (
                <tr key={r.info.runId} data-testid="class-run-row">
                  <td className="px-3 py-1.5">{r.info.userName}</td>
                  <td className="px-3 py-1.5">
                    <Link href={`/runs/${r.info.runId}`} className="text-accent hover:underline">{r.info.runName}</Link>
                    {r.info.sharedWithClass && <span className="ml-1.5 rounded bg-green-50 px-1 text-xs text-green-800">{tr("shared")}</span>}
                  </td>
                  <td className="px-3 py-1.5 text-stone-600">{lessonTitle(r.info.lessonSlug)}</td>
                  <td className="px-3 py-1.5"><StatusBadge status={r.info.status} /></td>
                  <td className="whitespace-nowrap px-3 py-1.5 text-stone-600">{formatDateTime(r.info.startTime, locale)}</td>
                  {metric && <td className="px-3 py-1.5 text-right font-mono text-xs tabular-nums">{formatMetric(r.metrics[metric])}</td>}
                </tr>
              ))}
            </tbody>
          </table>
        </Card>
      )}
    </div>
  );
}

/** The class page's link to this view (only instructors see the panel it sits in). */
export function ClassRunsLink({ classId }: { classId: string }) {
  const t = useTranslations("tracking.classRuns");
  return (
    <Link href={`/classes/${classId}/runs`} className="self-start text-sm font-medium text-accent hover:underline" data-testid="class-runs-link">
      {t("link")} →
    </Link>
  );
}
