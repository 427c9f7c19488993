"use client";
// The class leaderboard, for its members and instructor: rank, name or nickname (as the class
// chooses), points over graded exercises and challenges.
import { useQuery } from "@tanstack/react-query";
import { useLocale, useTranslations } from "next-intl";
import { useErrorMessage } from "@/components/class/use-error-message";
import { Alert } from "@/components/ui/alert";
import { Card } from "@/components/ui/card";
import { Link } from "@/lib/i18n/navigation";
import { useTRPC } from "@/lib/trpc/react";
import { formatWhen } from "./format";

export function ClassLeaderboard({ classId }: { classId: string }) {
  const t = useTranslations("gradebook");
  const locale = useLocale();
  const lang = locale === "en" ? "en" : "es";
  const trpc = useTRPC();
  const toMessage = useErrorMessage();
  const board = useQuery(trpc.gradebook.leaderboard.queryOptions({ classId, locale: lang }));
  if (board.error) return <Alert tone="error">{toMessage(board.error)}</Alert>;
  if (!board.data) return null;
  const points = new Intl.NumberFormat(lang === "es" ? "es-AR" : "en-US", { maximumFractionDigits: 2 });
  return (
    <div className="flex flex-col gap-4">
      <div>
        <h1 className="text-2xl font-bold">{t("leaderboard.title")}</h1>
        <Link href={`/classes/${encodeURIComponent(classId)}`} className="text-sm text-stone-600 hover:text-accent">← {board.data.className}</Link>
      </div>
      <p className="text-sm text-stone-600">{t("leaderboard.intro", { items: board.data.items })}</p>
      <Card>
        {board.data.rows.length === 0 ? (
          <p className="text-stone-600">{t("leaderboard.empty")}</p>
        ) : (
          <table className="min-w-full text-sm" data-testid="class-leaderboard">
            <thead className="text-left text-stone-500">
              <tr>
                <th className="py-1 pr-3">{t("leaderboard.rank")}</th>
                <th className="py-1 pr-3">{t("leaderboard.name")}</th>
                <th className="py-1 pr-3">{t("leaderboard.points")}</th>
                <th className="py-1 pr-3">{t("leaderboard.solved")}</th>
                <th className="py-1">{t("leaderboard.last")}</th>
              </tr>
            </thead>
            <tbody>
              {board.data.rows.map((r, k) => (
                <tr key={k} className={`border-t border-stone-100 ${r.me ? "bg-accent-soft font-medium" : ""}`} data-testid="class-leaderboard-row">
                  <td className="py-1 pr-3">{r.rank}</td>
                  <td className="py-1 pr-3">
                    {r.anonymous !== null ? `${t("leaderboard.anonymous")} #${r.anonymous}` : r.displayName} {r.me && <span className="text-xs text-stone-500">{t("leaderboard.you")}</span>}
                  </td>
                  <td className="py-1 pr-3">{points.format(r.points)}</td>
                  <td className="py-1 pr-3">{r.solved}</td>
                  <td className="py-1">{formatWhen(r.lastAt, lang)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
    </div>
  );
}
