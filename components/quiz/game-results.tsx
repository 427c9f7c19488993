"use client";
// A live game's results for its host: per question the share correct, every player's answers,
// times and points, and the CSV download.
import { useQuery } from "@tanstack/react-query";
import { useLocale, useTranslations } from "next-intl";
import { Alert } from "@/components/ui/alert";
import { Card } from "@/components/ui/card";
import { Link } from "@/lib/i18n/navigation";
import { useTRPC } from "@/lib/trpc/react";
import { useQuizError } from "./use-quiz-error";

export function GameResults({ gameId }: { gameId: string }) {
  const t = useTranslations("quiz.results");
  const locale = useLocale() as "es" | "en";
  const trpc = useTRPC();
  const toMessage = useQuizError();
  const r = useQuery(trpc.quizzes.gameResults.queryOptions({ gameId, locale }));
  if (r.error) return <Alert tone="error">{toMessage(r.error)}</Alert>;
  if (!r.data) return null;
  const { game, questions, players, accounts, described } = r.data;
  const pct = (x: number) => `${Math.round(x * 100)} %`;
  return (
    <div className="flex flex-col gap-4" data-testid="game-results">
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="text-2xl font-bold">{t("title", { title: game.title })}</h1>
        <a className="ml-auto rounded-md border border-stone-300 px-3 py-1.5 text-sm hover:bg-stone-100" href={`/api/quizzes/games/${encodeURIComponent(gameId)}/results.csv?locale=${locale}`} data-testid="results-csv">
          {t("csv")}
        </a>
        <Link href="/quizzes" className="text-sm text-accent hover:underline">{t("back")}</Link>
      </div>
      <p className="text-sm text-stone-600">{t("summary", { pin: game.pin, players: players.filter((p) => !p.kicked).length, questions: game.questionCount })}</p>
      <Card>
        <h2 className="mb-2 font-semibold">{t("perQuestion")}</h2>
        <table className="w-full text-sm" data-testid="results-questions">
          <thead>
            <tr className="text-left text-stone-500">
              <th className="py-1">#</th>
              <th>{t("question")}</th>
              <th>{t("answered")}</th>
              <th>{t("shareCorrect")}</th>
            </tr>
          </thead>
          <tbody>
            {questions.map((q) => (
              <tr key={q.index} className="border-t border-stone-100" data-testid="results-question">
                <td className="py-1">{q.index + 1}</td>
                <td>{q.prompt}</td>
                <td>{q.answered}</td>
                <td data-testid="results-share">{q.type === "poll" ? "—" : pct(q.correctShare)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Card>
      <Card>
        <h2 className="mb-2 font-semibold">{t("perPlayer")}</h2>
        <div className="overflow-x-auto">
          <table className="w-full text-sm" data-testid="results-players">
            <thead>
              <tr className="text-left text-stone-500">
                <th className="py-1">{t("rank")}</th>
                <th>{t("player")}</th>
                <th>{t("score")}</th>
                {questions.map((q) => (
                  <th key={q.index}>{t("q", { n: q.index + 1 })}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {players.map((p) => (
                <tr key={p.playerId} className={`border-t border-stone-100 align-top ${p.kicked ? "text-stone-400 line-through" : ""}`} data-testid="results-player">
                  <td className="py-1">{p.kicked ? "—" : p.rank}</td>
                  <td>
                    <span className="font-medium" data-testid="results-nickname">{p.nickname}</span>
                    {p.userId && accounts[p.userId] && <div className="text-xs text-stone-500">{accounts[p.userId].name}</div>}
                  </td>
                  <td className="font-mono" data-testid="results-score">{p.score}</td>
                  {questions.map((q) => {
                    const a = p.answers.find((x) => x.q === q.index);
                    return (
                      <td key={q.index} className={a ? (a.correct ? "text-green-800" : "text-red-800") : "text-stone-400"}>
                        {a ? (
                          <>
                            <div>{described[p.playerId]?.[q.index]}</div>
                            <div className="text-xs">{t("timePoints", { seconds: (a.timeMs / 1000).toFixed(2), points: a.points })}</div>
                          </>
                        ) : (
                          "—"
                        )}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Card>
    </div>
  );
}
