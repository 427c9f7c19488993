"use client";
// A student's own grades in each of their classes: score, attempts, late, and the instructor's
// override with its comment. The server only ever reads the caller's own rows.
import { useQuery } from "@tanstack/react-query";
import { useLocale, useTranslations } from "next-intl";
import { useErrorMessage } from "@/components/class/use-error-message";
import { Alert } from "@/components/ui/alert";
import { Card } from "@/components/ui/card";
import { formatPercent } from "@/lib/gradebook/score-input";
import { Link } from "@/lib/i18n/navigation";
import { useTRPC } from "@/lib/trpc/react";
import { formatItemScore, formatWhen, itemLabel } from "./format";

export function MyGrades() {
  const t = useTranslations("gradebook");
  const locale = useLocale();
  const lang = locale === "en" ? "en" : "es";
  const trpc = useTRPC();
  const toMessage = useErrorMessage();
  const grades = useQuery(trpc.gradebook.mine.queryOptions({ locale: lang }));
  if (grades.error) return <Alert tone="error">{toMessage(grades.error)}</Alert>;
  if (!grades.data) return null;
  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-2xl font-bold">{t("mine.title")}</h1>
      <p className="text-stone-600">{t("mine.intro")}</p>
      {grades.data.length === 0 && <p className="text-stone-600">{t("mine.noClasses")}</p>}
      {grades.data.map((cls) => {
        const due = new Map(cls.deadlines.map((d) => [d.lessonSlug, d.dueAt]));
        return (
          <Card key={cls.classId}>
            <div className="flex flex-wrap items-baseline justify-between gap-2">
              <h2 className="text-lg font-semibold" data-testid="my-grades-class">
                <Link href={`/classes/${encodeURIComponent(cls.classId)}`} className="hover:text-accent">{cls.className}</Link>
              </h2>
              <span className="font-semibold" data-testid="my-grades-total">{t("total")}: {formatPercent(cls.total.total, lang)}</span>
            </div>
            {cls.items.length === 0 ? (
              <p className="text-sm text-stone-600">{t("noItems")}</p>
            ) : (
              <div className="mt-2 overflow-x-auto">
                <table className="min-w-full text-sm" data-testid="my-grades-table">
                  <thead className="text-left text-stone-500">
                    <tr>
                      <th className="py-1 pr-3">{t("mine.item")}</th>
                      <th className="py-1 pr-3">{t("mine.score")}</th>
                      <th className="py-1 pr-3">{t("mine.attempts")}</th>
                      <th className="py-1 pr-3">{t("mine.late")}</th>
                      <th className="py-1">{t("mine.override")}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {cls.items.map((item) => {
                      const cell = cls.cells[item.key]!;
                      const dueAt = item.kind === "exercise" ? due.get(item.lessonSlug) : item.deadline;
                      return (
                        <tr key={item.key} className="border-t border-stone-100 align-top" data-testid="my-grade-row" data-item={item.key}>
                          <td className="py-1 pr-3">
                            {itemLabel(item, t("kind.challenge"), t("kind.quiz"))}
                            {dueAt && <span className="block text-xs text-stone-500">{t("mine.due", { date: formatWhen(dueAt, lang, cls.timeZone) })}</span>}
                          </td>
                          <td className="py-1 pr-3 font-medium" data-testid="my-grade-score">
                            {formatItemScore(item, cell.score, lang)}
                            {cell.computed.provisional && <span className="ml-1 text-xs text-blue-700">{t("cell.provisional")}</span>}
                            {cell.override && <span className="block text-xs text-stone-500">{t("cell.computed", { score: formatItemScore(item, cell.computed.score, lang) })}</span>}
                          </td>
                          <td className="py-1 pr-3">{cell.computed.attempts}</td>
                          <td className="py-1 pr-3">{cell.computed.late ? t("mine.yes") : t("mine.no")}</td>
                          <td className="py-1 whitespace-pre-wrap" data-testid="my-grade-override">{cell.override?.comment ?? ""}</td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              </div>
            )}
            <p className="mt-2 text-xs text-stone-500">{t("totalHint")}</p>
          </Card>
        );
      })}
    </div>
  );
}
