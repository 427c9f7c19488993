"use client";
// A self-paced quiz assignment: a student plays it alone, question by question, on the server's
// clock (the countdown shows the server's deadline; the server times the answer), with the live
// scoring; below, the class leaderboard. The instructor sees every student's answers instead.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useLocale, useTranslations } from "next-intl";
import { useEffect, useMemo } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import type { Answer } from "@/lib/live/questions";
import { useTRPC } from "@/lib/trpc/react";
import { useCountdown } from "./live-socket";
import { AnswerControls, QuestionBody } from "./question-view";
import { RichText } from "./rich-text";
import { useQuizError } from "./use-quiz-error";

export function AssignmentPage({ assignmentId, role }: { assignmentId: string; role: "student" | "instructor" }) {
  return (
    <div className="flex flex-col gap-4">
      {role === "student" ? <SelfPacedPlay assignmentId={assignmentId} /> : <SelfPacedResults assignmentId={assignmentId} />}
      <SelfPacedLeaderboard assignmentId={assignmentId} />
    </div>
  );
}

function SelfPacedPlay({ assignmentId }: { assignmentId: string }) {
  const t = useTranslations("quiz.selfPaced");
  const tp = useTranslations("quiz.play");
  const locale = useLocale();
  const trpc = useTRPC();
  const qc = useQueryClient();
  const toMessage = useQuizError();
  const stateKey = trpc.quizzes.selfPacedState.queryKey({ assignmentId });
  const state = useQuery(trpc.quizzes.selfPacedState.queryOptions({ assignmentId }, { refetchOnWindowFocus: false }));
  const refresh = () => {
    qc.invalidateQueries({ queryKey: stateKey });
    qc.invalidateQueries({ queryKey: trpc.quizzes.selfPacedLeaderboard.queryKey({ assignmentId }) });
  };
  const next = useMutation(trpc.quizzes.serveNext.mutationOptions({ onSuccess: (s) => qc.setQueryData(stateKey, s) }));
  const answer = useMutation(trpc.quizzes.answer.mutationOptions({ onSuccess: refresh, onError: refresh }));
  const s = state.data;
  // Server time minus device time, taken when the state arrives (the countdown follows the server).
  const offset = useMemo(() => (s?.status === "question" ? s.now - Date.now() : 0), [s]);
  const opensIn = useCountdown(s?.status === "question" ? s.opensAt : null, offset);
  const left = useCountdown(s?.status === "question" ? s.deadline : null, offset);
  // When the time runs out with no answer, ask the server: it records the miss.
  useEffect(() => {
    if (s?.status === "question" && left === 0 && opensIn === 0 && !answer.isPending) {
      const id = setTimeout(refresh, 400);
      return () => clearTimeout(id);
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [s, left, opensIn, answer.isPending]);

  if (state.error) return <Alert tone="error">{toMessage(state.error)}</Alert>;
  if (!s) return null;
  const deadlineText = (d: Date) => new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" }).format(d);

  return (
    <Card className="flex flex-col gap-4" >
      <div data-testid="self-paced" data-status={s.status} className="flex flex-col gap-4">
        <h1 className="text-2xl font-bold">{s.title}</h1>
        {next.error && <Alert tone="error">{toMessage(next.error)}</Alert>}
        {answer.error && <Alert tone="error" testId="self-paced-error">{toMessage(answer.error)}</Alert>}
        {s.status === "notStarted" && (
          <>
            <p>{t("intro", { count: s.count, max: s.maxScore })}</p>
            <p className="text-sm text-stone-600">{t("deadline", { when: deadlineText(s.deadline) })}</p>
            {s.closed ? <Alert tone="info">{t("closed")}</Alert> : <Button className="self-start text-lg" onClick={() => next.mutate({ assignmentId })} disabled={next.isPending} data-testid="self-paced-start">{t("start")}</Button>}
          </>
        )}
        {s.status === "question" && (
          <>
            <div className="flex justify-between text-sm text-stone-600">
              <span>{tp("questionOf", { n: s.q + 1, count: s.count })} · {tp("score", { score: s.score })}</span>
              <span className="font-mono text-lg font-bold text-stone-900" data-testid="self-paced-countdown">{Math.ceil((opensIn > 0 ? opensIn : left) / 1000)}</span>
            </div>
            <QuestionBody question={s.question} />
            {opensIn > 0 ? (
              <p className="text-center text-lg text-stone-600">{tp("getReady")}</p>
            ) : answer.isPending ? (
              <p className="rounded-lg bg-blue-50 p-4 text-center text-lg" role="status">{tp("sending")}</p>
            ) : (
              <AnswerControls key={s.q} question={s.question} disabled={left === 0} onAnswer={(a: Answer) => answer.mutate({ assignmentId, q: s.q, answer: a })} />
            )}
          </>
        )}
        {s.status === "answered" && (
          <>
            <div className="flex flex-col items-center gap-1 text-center" data-testid="self-paced-result" data-correct={String(s.result.correct)}>
              <p className={`text-3xl font-bold ${s.result.correct ? "text-green-700" : "text-red-700"}`}>
                {s.result.correct ? `✓ ${tp("right")}` : s.result.timedOut ? `⏱ ${tp("noAnswer")}` : `✗ ${tp("wrong")}`}
              </p>
              <p className="text-xl" data-testid="self-paced-points">{tp("points", { points: s.result.points })}{s.result.bonus > 0 ? ` · ${tp("bonus", { bonus: s.result.bonus })}` : ""}</p>
              <p>{tp("streak", { streak: s.result.streak })} · {tp("score", { score: s.result.score })} · {tp("rank", { rank: s.rank })}</p>
              {s.result.explanation && <p className="mt-2 rounded-md bg-blue-50 p-3 text-left"><RichText text={s.result.explanation} /></p>}
            </div>
            <Button className="self-end text-lg" onClick={() => next.mutate({ assignmentId })} disabled={next.isPending} data-testid="self-paced-next">
              {s.q + 1 < s.count ? t("next") : t("finish")}
            </Button>
          </>
        )}
        {s.status === "finished" && (
          <div className="rounded-lg bg-amber-50 p-6 text-center" data-testid="self-paced-finished">
            <p className="text-2xl font-bold">{t("finished", { score: s.score, max: s.maxScore })}</p>
            <p>{t("finishedDetail", { correct: s.correct, count: s.count, rank: s.rank, players: s.players })}</p>
          </div>
        )}
      </div>
    </Card>
  );
}

function SelfPacedLeaderboard({ assignmentId }: { assignmentId: string }) {
  const t = useTranslations("quiz.selfPaced");
  const trpc = useTRPC();
  const board = useQuery(trpc.quizzes.selfPacedLeaderboard.queryOptions({ assignmentId }, { refetchInterval: 5000 }));
  if (!board.data) return null;
  return (
    <Card>
      <h2 className="mb-2 font-semibold">{t("leaderboard")}</h2>
      {board.data.rows.length === 0 ? (
        <p className="text-sm text-stone-500">{t("nobodyYet")}</p>
      ) : (
        <ol className="flex flex-col gap-1" data-testid="self-paced-leaderboard">
          {board.data.rows.map((r, i) => (
            <li key={i} className={`flex justify-between rounded px-3 py-1 ${r.you ? "bg-accent-soft font-semibold" : "bg-stone-50"}`} data-testid="self-paced-row">
              <span>{r.rank}. {r.name} {!r.finished && <span className="text-xs text-stone-500">({t("inProgress", { answered: r.answered, count: board.data.count })})</span>}</span>
              <span className="font-mono">{r.score}</span>
            </li>
          ))}
        </ol>
      )}
    </Card>
  );
}

function SelfPacedResults({ assignmentId }: { assignmentId: string }) {
  const t = useTranslations("quiz.results");
  const trpc = useTRPC();
  const toMessage = useQuizError();
  const r = useQuery(trpc.quizzes.selfPacedResults.queryOptions({ assignmentId }));
  if (r.error) return <Alert tone="error">{toMessage(r.error)}</Alert>;
  if (!r.data) return null;
  return (
    <Card className="flex flex-col gap-3" >
      <h1 className="text-2xl font-bold">{r.data.title}</h1>
      <table className="w-full text-sm" data-testid="self-paced-results">
        <thead>
          <tr className="text-left text-stone-500">
            <th>{t("player")}</th>
            <th>{t("score")}</th>
            {r.data.questions.map((q, i) => (
              <th key={i} title={q.prompt}>{t("q", { n: i + 1 })} <span className="font-normal">({q.type === "poll" ? "—" : `${Math.round(q.correctShare * 100)} %`})</span></th>
            ))}
          </tr>
        </thead>
        <tbody>
          {r.data.students.map((s) => (
            <tr key={s.userId} className="border-t border-stone-100">
              <td className="py-1">{s.name}</td>
              <td className="font-mono">{s.score}</td>
              {s.answers.map((a, i) => (
                <td key={i} className={a ? (a.correct ? "text-green-800" : "text-red-800") : "text-stone-400"}>
                  {a ? t("timePoints", { seconds: (a.ms / 1000).toFixed(2), points: a.points }) : "—"}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </Card>
  );
}
