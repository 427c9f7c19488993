"use client";
// A lesson exercise's server side (issue 12): Submit sends the editor's code to `grading.submit`
// and shows the grade (score, each named case, attempt, a cap by hints or a reveal); hints and the
// solution come from the server one at a time (it records them). The lesson's earlier
// submissions, hints and reveals load once, with `grading.mine`, when the notebook opens.
import { TRPCClientError } from "@trpc/client";
import type { inferRouterOutputs } from "@trpc/server";
import { useLocale, useTranslations } from "next-intl";
import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import { capReason, MAX_SUBMISSION_CHARS, percent } from "@/lib/grading/submission-view";
import type { NotebookDocument } from "@/lib/notebook/types";
import type { AppRouter } from "@/lib/server/api/root";
import { useTRPCClient } from "@/lib/trpc/react";
import { StaticCode } from "./code-area";

type Outputs = inferRouterOutputs<AppRouter>["grading"];
type Mine = Outputs["mine"];
type Submission = Mine["exercises"][number]["submissions"][number];
type Policy = Mine["policy"];

interface GradingContextValue {
  lessonSlug: string;
  locale: "es" | "en";
  classId: string | null;
  signedIn: boolean;
  /** From the page's lesson document (not the student's stored copy): which exercises the server grades, and how many hints it holds. */
  exercises: Map<string, { graded: boolean; hintCount: number }>;
  /** The caller's earlier work; null until loaded (or for guests). */
  mine: Mine | null;
}

const GradingContext = createContext<GradingContextValue | null>(null);

export function GradingProvider(props: { lessonSlug: string; classId: string | null; signedIn: boolean; original: NotebookDocument; children: ReactNode }) {
  const { lessonSlug, classId, signedIn, original } = props;
  const locale: "es" | "en" = useLocale() === "en" ? "en" : "es";
  const trpc = useTRPCClient();
  const [mine, setMine] = useState<Mine | null>(null);
  useEffect(() => {
    if (!signedIn) return;
    let live = true;
    trpc.grading.mine
      .query({ lessonSlug, locale })
      .then((m) => live && setMine(m))
      .catch(() => undefined); // earlier submissions are a convenience; submitting still works
    return () => {
      live = false;
    };
  }, [lessonSlug, locale, signedIn, trpc]);
  const exercises = useMemo(() => {
    const map = new Map<string, { graded: boolean; hintCount: number }>();
    for (const c of original.cells) if (c.kind === "exercise") map.set(c.id, { graded: c.graded === true, hintCount: c.hintCount ?? c.hints.length });
    return map;
  }, [original]);
  const value = useMemo(() => ({ lessonSlug, locale, classId, signedIn, exercises, mine }), [lessonSlug, locale, classId, signedIn, exercises, mine]);
  return <GradingContext.Provider value={value}>{props.children}</GradingContext.Provider>;
}

/** True inside a lesson notebook (hints and solutions then come from the server). */
export function useLessonGrading(): boolean {
  return useContext(GradingContext) !== null;
}

type ErrorKey = "busy" | "unavailable" | "tooLong" | "network" | "unauthorized" | "notFound" | "notGraded" | "invalidInput" | "rateLimited" | "unexpected";

function errorKeyOf(error: unknown): ErrorKey {
  if (error instanceof TRPCClientError) {
    const data = error.data as { messageKey?: string; code?: string; fieldErrors?: Record<string, unknown>; detail?: { key?: string } } | undefined;
    if (!data) return "network"; // no tRPC reply at all: the request never got an answer
    if (data.fieldErrors && "code" in data.fieldErrors) return "tooLong";
    if (data.code === "UNAUTHORIZED") return "unauthorized";
    if (data.code === "NOT_FOUND") return "notFound";
    if (data.code === "TOO_MANY_REQUESTS") return "rateLimited";
    if (data.code === "PAYLOAD_TOO_LARGE") return "tooLong";
    if (data.detail?.key === "exercises.errors.notGraded") return "notGraded";
    if (data.detail?.key === "exercises.errors.tooLong") return "tooLong";
    if (data.messageKey === "invalidInput") return "invalidInput";
    return "unexpected";
  }
  return error instanceof TypeError ? "network" : "unexpected";
}

export interface ExerciseGradingProps {
  exerciseId: string;
  /** The editor's current code. */
  source: string;
  onUseSolution(solution: string): void;
}

/** Submit, the grade, hints and the solution of one lesson exercise. Renders nothing outside a lesson. */
export function ExerciseGrading({ exerciseId, source, onUseSolution }: ExerciseGradingProps) {
  const ctx = useContext(GradingContext);
  const t = useTranslations("exercises");
  const trpc = useTRPCClient();
  const info = ctx?.exercises.get(exerciseId);
  const earlier = ctx?.mine?.exercises.find((e) => e.exerciseId === exerciseId) ?? null;
  const [submissions, setSubmissions] = useState<Submission[]>([]);
  const [hints, setHints] = useState<{ index: number; text: string }[]>([]);
  const [solution, setSolution] = useState<string | null>(null);
  const [policy, setPolicy] = useState<Policy | null>(null);
  const [pending, setPending] = useState<"submit" | "hint" | "reveal" | null>(null);
  const [error, setError] = useState<ErrorKey | null>(null);

  // What the server already holds for this exercise (a reload, another device).
  useEffect(() => {
    if (!ctx?.mine) return;
    setPolicy(ctx.mine.policy);
    if (!earlier) return;
    setSubmissions((cur) => (cur.length >= earlier.submissions.length ? cur : earlier.submissions));
    setHints((cur) => (cur.length ? cur : earlier.hints.flatMap((h) => (h.text !== null ? [{ index: h.index, text: h.text }] : []))));
    if (earlier.solution !== null) setSolution((cur) => cur ?? earlier.solution);
  }, [ctx?.mine, earlier]);

  if (!ctx || !info) return null;
  const ref = { lessonSlug: ctx.lessonSlug, locale: ctx.locale, exerciseId };
  const hintCount = info.hintCount;
  const nextHint = hints.length;
  const hintCost = policy?.hintCost ?? 0;
  const revealedCap = policy?.revealedCap ?? 0;
  const latest = submissions.at(-1) ?? null;

  const submit = async () => {
    setError(null);
    if (source.length > MAX_SUBMISSION_CHARS) {
      setError("tooLong");
      return;
    }
    setPending("submit");
    try {
      const r = await trpc.grading.submit.mutate({ ...ref, code: source, classId: ctx.classId });
      if (r.attempt === null) setError(r.status === "busy" ? "busy" : "unavailable");
      else setSubmissions((cur) => [...cur.filter((s) => s.attempt !== r.attempt), r as Submission]);
    } catch (e) {
      setError(errorKeyOf(e));
    } finally {
      setPending(null);
    }
  };
  const takeHint = async () => {
    setError(null);
    setPending("hint");
    try {
      const r = await trpc.grading.hint.mutate({ ...ref, index: nextHint });
      setHints((cur) => (cur.some((h) => h.index === r.index) ? cur : [...cur, { index: r.index, text: r.text }]));
      setPolicy((p) => p ?? { hintCost: r.cost.hintCost, revealedCap: r.cost.revealedCap });
    } catch (e) {
      setError(errorKeyOf(e));
    } finally {
      setPending(null);
    }
  };
  const reveal = async () => {
    const cap = percent(Math.min(revealedCap, Math.max(0, 1 - hintCost * hints.length)));
    if (!window.confirm(t("confirmSolution", { cap }))) return;
    setError(null);
    setPending("reveal");
    try {
      const r = await trpc.grading.reveal.mutate(ref);
      setSolution(r.solution);
    } catch (e) {
      setError(errorKeyOf(e));
    } finally {
      setPending(null);
    }
  };

  const btn = "rounded-md border border-stone-300 px-3 py-1 hover:bg-stone-100 disabled:text-stone-400";
  return (
    <div data-testid="exercise-grading" data-graded={info.graded ? "true" : "false"} className="border-t border-stone-100 px-3 py-2 text-sm">
      <div className="flex flex-wrap items-center gap-2">
        {info.graded &&
          (ctx.signedIn ? (
            <button
              type="button"
              data-testid="exercise-submit"
              disabled={pending !== null}
              onClick={() => void submit()}
              className="rounded-md bg-emerald-700 px-3 py-1 font-medium text-white hover:bg-emerald-800 disabled:bg-emerald-300"
            >
              {pending === "submit" ? t("submitting") : t("submit")}
            </button>
          ) : (
            <span data-testid="exercise-sign-in-to-submit" className="text-stone-600">{t("signInToSubmit")}</span>
          ))}
        {ctx.signedIn && hintCount > 0 && (
          <button type="button" data-testid="exercise-hint" disabled={pending !== null || nextHint >= hintCount} onClick={() => void takeHint()} className={btn}>
            {nextHint >= hintCount
              ? t("noMoreHints")
              : hintCost > 0
                ? t("hintCost", { n: nextHint + 1, total: hintCount, cost: percent(hintCost) })
                : t("hint", { n: nextHint + 1, total: hintCount })}
          </button>
        )}
        {ctx.signedIn && solution === null && (
          <button type="button" data-testid="exercise-show-solution" disabled={pending !== null} onClick={() => void reveal()} className={btn}>
            {t("showSolution")}
          </button>
        )}
        {!ctx.signedIn && <span className="text-stone-500">{t("signInForHints")}</span>}
      </div>
      {error && (
        <p role="alert" data-testid="exercise-grading-error" data-error={error} className="mt-2 rounded-md bg-red-50 px-2 py-1 text-red-800">
          {t(`errors.${error}`)}
        </p>
      )}
      {latest && <GradeView submission={latest} policy={policy} />}
      {submissions.length > 1 && (
        <details className="mt-1 text-xs text-stone-600" data-testid="exercise-history">
          <summary className="cursor-pointer">{t("previous", { count: submissions.length - 1 })}</summary>
          <ul className="ml-4 list-disc">
            {submissions.slice(0, -1).map((s) => (
              <li key={s.attempt}>{t("previousRow", { n: s.attempt, score: percent(s.score), passed: s.passed, total: s.total })}</li>
            ))}
          </ul>
        </details>
      )}
      {hints.length > 0 && (
        <ol className="mt-2 list-decimal rounded-md bg-amber-50 py-2 pl-8 pr-3 text-amber-900" data-testid="exercise-hints">
          {hints.map((h) => (
            <li key={h.index} value={h.index + 1}>{h.text}</li>
          ))}
        </ol>
      )}
      {solution !== null && (
        <div className="mt-2 rounded-md border border-violet-200 bg-violet-50" data-testid="exercise-solution">
          <div className="flex items-center justify-between px-3 pt-2 text-xs font-semibold text-violet-800">
            {t("solution")}
            <button type="button" className="rounded px-2 py-0.5 font-normal hover:bg-violet-100" onClick={() => onUseSolution(solution)}>
              {t("useSolution")}
            </button>
          </div>
          <StaticCode source={solution} language="ts" />
        </div>
      )}
    </div>
  );
}

function GradeView({ submission: s, policy }: { submission: Submission; policy: Policy | null }) {
  const t = useTranslations("exercises");
  const graded = s.status === "graded";
  const capped = s.capped ?? capReason(s.rawScore, s.score, { hints: s.hintsUsed, revealed: s.revealed }, policy ?? undefined);
  const full = graded && s.score >= 1;
  return (
    <div
      data-testid="exercise-grade"
      data-status={s.status}
      data-score={String(s.score)}
      data-attempt={String(s.attempt)}
      className={`mt-2 rounded-md border px-3 py-2 ${full ? "border-emerald-300 bg-emerald-50" : "border-stone-200 bg-stone-50"}`}
    >
      <div className="flex flex-wrap items-baseline gap-x-3 gap-y-1">
        <span className="text-xs font-semibold uppercase tracking-wide text-emerald-800">{t("graded")}</span>
        <span data-testid="exercise-score" className="font-semibold">{t("score", { score: percent(s.score) })}</span>
        <span data-testid="exercise-cases-passed">{t("cases", { passed: s.passed, total: s.total })}</span>
        <span data-testid="exercise-attempt" className="text-stone-600">{t("attempt", { n: s.attempt })}</span>
      </div>
      {capped && (
        <p data-testid="exercise-capped" data-reason={capped} className="mt-1 text-amber-800">
          {t(capped === "reveal" ? "cappedReveal" : "cappedHints", { score: percent(s.score), raw: percent(s.rawScore) })}
        </p>
      )}
      {s.late && <p className="mt-1 text-amber-800">{t("late")}</p>}
      {s.status === "error" && (
        <p className="mt-1 text-red-800">
          {t("failedBefore")} <code className="whitespace-pre-wrap font-mono text-xs">{s.message}</code>
        </p>
      )}
      {s.status === "limit" && <p className="mt-1 text-red-800">{s.limit ? t(`limit.${s.limit}`) : s.message}</p>}
      <ul className="mt-1 flex flex-col gap-0.5" data-testid="exercise-cases">
        {s.cases.map((c, i) => (
          <li key={i} data-testid="exercise-case" data-passed={c.passed ? "true" : "false"} data-verdict={c.verdict} className={c.passed ? "text-emerald-800" : "text-red-800"}>
            <span aria-hidden>{c.passed ? "✓" : "✗"}</span> {c.name}
            {!c.passed && <span className="text-stone-600"> — {t(`verdict.${c.verdict}`)}</span>}
          </li>
        ))}
      </ul>
    </div>
  );
}
