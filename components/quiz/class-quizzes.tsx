"use client";
// A class's quizzes: self-paced assignments (the instructor assigns from a quiz set's page;
// students play them here before the deadline) and the live games played in the class with the
// members' scores — the class's records of its quizzes.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useLocale, useTranslations } from "next-intl";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Link } from "@/lib/i18n/navigation";
import { useTRPC } from "@/lib/trpc/react";
import { useQuizError } from "./use-quiz-error";

export function ClassQuizzes({ classId }: { classId: string }) {
  const t = useTranslations("quiz.classQuizzes");
  const locale = useLocale();
  const trpc = useTRPC();
  const qc = useQueryClient();
  const toMessage = useQuizError();
  const cls = useQuery(trpc.classes.get.queryOptions({ classId }));
  const assignments = useQuery(trpc.quizzes.assignments.queryOptions({ classId }));
  const games = useQuery(trpc.quizzes.classGames.queryOptions({ classId }));
  const remove = useMutation(trpc.quizzes.deleteAssignment.mutationOptions({ onSuccess: () => qc.invalidateQueries({ queryKey: trpc.quizzes.assignments.queryKey({ classId }) }) }));
  const error = cls.error ?? assignments.error ?? games.error;
  if (error) return <Alert tone="error">{toMessage(error)}</Alert>;
  if (!cls.data) return null;
  const instructor = cls.data.role === "instructor";
  const when = (d: Date) => new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" }).format(d);
  return (
    <div className="flex flex-col gap-4">
      <div className="flex items-center gap-3">
        <h1 className="text-2xl font-bold">{t("title", { className: cls.data.name })}</h1>
        <Link href={`/classes/${classId}`} className="ml-auto text-sm text-accent hover:underline">{t("back")}</Link>
      </div>
      <Card>
        <h2 className="mb-2 font-semibold">{t("assignments")}</h2>
        {instructor && <p className="mb-2 text-sm text-stone-500">{t("assignHint")} <Link href="/quizzes" className="text-accent underline">{t("toQuizzes")}</Link></p>}
        {assignments.data?.length === 0 && <p className="text-sm text-stone-500">{t("noAssignments")}</p>}
        <ul className="flex flex-col divide-y divide-stone-200" data-testid="class-assignments">
          {assignments.data?.map((a) => (
            <li key={a.id} className="flex flex-wrap items-center gap-3 py-2" data-testid="class-assignment">
              <Link href={`/quizzes/assignments/${a.id}`} className="font-medium hover:text-accent">{a.title}</Link>
              <span className="text-sm text-stone-500">{t("due", { when: when(a.deadline) })}{a.closed ? ` · ${t("closed")}` : ""}</span>
              {a.mine && <span className="text-sm">{t("mine", { score: a.mine.score, max: a.maxScore })}{a.mine.finished ? "" : ` · ${t("unfinished")}`}</span>}
              {instructor && <span className="text-sm text-stone-500">{t("attempts", { count: a.attempts })}</span>}
              {instructor && <Button variant="danger" className="ml-auto" onClick={() => window.confirm(t("deleteConfirm")) && remove.mutate({ assignmentId: a.id })}>{t("delete")}</Button>}
            </li>
          ))}
        </ul>
      </Card>
      <Card>
        <h2 className="mb-2 font-semibold">{t("liveGames")}</h2>
        {games.data?.length === 0 && <p className="text-sm text-stone-500">{t("noGames")}</p>}
        <ul className="flex flex-col gap-3" data-testid="class-live-games">
          {games.data?.map((g) => (
            <li key={g.gameId} data-testid="class-live-game">
              <div className="flex flex-wrap items-center gap-3">
                <span className="font-medium">{g.title}</span>
                <span className="text-sm text-stone-500">{when(g.createdAt)} · {t("players", { count: g.players })}</span>
                {instructor && <Link href={`/quizzes/games/${g.gameId}`} className="text-sm text-accent hover:underline">{t("results")}</Link>}
              </div>
              {g.scores.length > 0 && (
                <ol className="mt-1 flex flex-wrap gap-2 text-sm">
                  {g.scores.map((s) => (
                    <li key={s.userId} className="rounded bg-stone-100 px-2 py-0.5" data-testid="class-live-score">
                      {s.rank}. {s.name} ({s.nickname}) — {s.score}
                    </li>
                  ))}
                </ol>
              )}
            </li>
          ))}
        </ul>
      </Card>
    </div>
  );
}
