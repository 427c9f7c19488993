"use client";
// The experiments the caller can see: their own, and those of the classes they teach or attend.
import { useQuery } from "@tanstack/react-query";
import { useLocale, useTranslations } from "next-intl";
import { useMemo } from "react";
import { useErrorMessage } from "@/components/class/use-error-message";
import { Alert } from "@/components/ui/alert";
import { Card } from "@/components/ui/card";
import { Link } from "@/lib/i18n/navigation";
import { useTRPC } from "@/lib/trpc/react";
import { formatDateTime } from "./format";

export function ExperimentsList({ lessonTitles }: { lessonTitles: Record<string, string> }) {
  const t = useTranslations("tracking.experiments");
  const tc = useTranslations("tracking.common");
  const locale = useLocale();
  const trpc = useTRPC();
  const toMessage = useErrorMessage();
  const experiments = useQuery(trpc.tracking.experiments.queryOptions({}));
  const classes = useQuery(trpc.classes.mine.queryOptions());
  const classNames = useMemo(() => new Map((classes.data ?? []).map((c) => [c.id, c.name])), [classes.data]);
  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-wrap items-end justify-between gap-2">
        <div>
          <h1 className="text-2xl font-bold">{t("title")}</h1>
          <p className="text-sm text-stone-600">{t("intro")}</p>
        </div>
        <p className="text-sm text-stone-600">
          {t("tokensHint")}{" "}
          <Link href="/settings/tokens" className="text-accent underline" data-testid="tokens-link">
            {t("tokensLink")}
          </Link>
        </p>
      </div>
      {experiments.error && <Alert tone="error">{toMessage(experiments.error)}</Alert>}
      {experiments.isPending && <p className="text-sm text-stone-500">{tc("loading")}</p>}
      {experiments.data?.length === 0 && <Card><p className="text-stone-600">{t("empty")}</p></Card>}
      {!!experiments.data?.length && (
        <Card className="overflow-x-auto p-0">
          <table className="w-full text-sm" data-testid="experiments-table">
            <thead className="border-b border-stone-200 bg-stone-50 text-left text-xs uppercase tracking-wide text-stone-500">
              <tr>
                <th className="px-3 py-2">{t("name")}</th>
                <th className="px-3 py-2">{t("lesson")}</th>
                <th className="px-3 py-2">{t("class")}</th>
                <th className="px-3 py-2 text-right">{t("runs")}</th>
                <th className="px-3 py-2">{t("lastUpdate")}</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-stone-100">
              {experiments.data.map((e) => (
                <tr key={e.id} data-testid="experiment-row" className="hover:bg-stone-50">
                  <td className="px-3 py-2">
                    <Link href={`/experiments/${e.id}`} className="font-medium text-accent hover:underline">{e.name}</Link>
                    {e.mine && <span className="ml-2 rounded bg-stone-100 px-1.5 text-xs text-stone-600">{t("mine")}</span>}
                  </td>
                  <td className="px-3 py-2">
                    {e.lessonSlug ? (
                      <Link href={`/lessons/${e.lessonSlug}`} className="hover:text-accent">{lessonTitles[e.lessonSlug] ?? e.lessonSlug}</Link>
                    ) : (
                      t("noLesson")
                    )}
                  </td>
                  <td className="px-3 py-2">{e.classId ? (classNames.get(e.classId) ?? "…") : <span className="text-stone-500">{t("noClass")}</span>}</td>
                  <td className="px-3 py-2 text-right tabular-nums" data-testid="experiment-run-count">{e.runCount}</td>
                  <td className="px-3 py-2 text-stone-600">{formatDateTime(e.lastUpdateTime, locale)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Card>
      )}
    </div>
  );
}
