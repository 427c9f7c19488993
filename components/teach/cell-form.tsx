"use client";
// One cell in one language in author mode: the students' editor (author-code.tsx → the notebook's
// CodeArea: text area, then Monaco) for markdown, TypeScript and SQL, run in the page's kernel with
// the notebook's outputs; an exercise's starter, browser check, hints, solution (the starter and
// the solution run against the check) and grading fields; a quiz's questions. Memoized: a
// keystroke re-renders only the form being typed in.
import { useTranslations } from "next-intl";
import { memo, useContext, useId, useMemo, type ReactNode } from "react";
import { Outputs } from "@/components/notebook/outputs";
import type { Cell, ExerciseCell, QuizCell, QuizQuestion } from "@/lib/notebook/types";
import type { LessonLocale } from "@/lib/teach/bundle";
import type { GradingChange } from "@/lib/teach/grading-fields";
import { AuthorCode } from "./author-code";
import { DetachedForm } from "@/components/notebook/detached-form";
import { FieldFormProvider, useFieldForm } from "./field-form";
import { GradingFieldsForm } from "./grading-fields-form";
import { MarkdownPreview } from "./markdown-preview";
import { AuthorKernelContext, useAuthorRun } from "./use-author-kernel";

export type CellPatch = Partial<Omit<ExerciseCell, "id" | "kind">> | Partial<Omit<QuizCell, "id" | "kind">> | { source: string };

interface Props {
  cell: Cell;
  locale: LessonLocale;
  outdated: boolean;
  onEdit: (cellId: string, locale: LessonLocale, patch: CellPatch) => void;
  onSession: (cellId: string | null, locale: LessonLocale) => void;
  onMarkUpToDate: (cellId: string, locale: LessonLocale) => void;
  /** An exercise's grading kind, target or tolerance: the same in every language. */
  onGrading: (cellId: string, change: GradingChange) => void;
  /**
   * The cell as the store holds it now: a run reads it, since the editor reports its last keys
   * just before the run (monaco-editor.tsx), a render before `cell` has them.
   */
  readCell: (locale: LessonLocale) => Cell | undefined;
}

const area = "w-full rounded-md border border-stone-300 bg-white px-2 py-1 font-mono text-sm focus:border-accent";
const rows = (text: string) => Math.min(30, Math.max(2, text.split("\n").length + 1));

function Text({ label, value, onChange, onFocus, onBlur, mono = true, testId }: { label?: string; value: string; onChange: (v: string) => void; onFocus: () => void; onBlur: () => void; mono?: boolean; testId?: string }) {
  const form = useFieldForm();
  return (
    <label className="flex flex-col gap-0.5 text-xs text-stone-600">
      {label}
      <textarea
        form={form}
        className={mono ? area : area.replace("font-mono ", "")}
        value={value}
        rows={rows(value)}
        spellCheck={!mono}
        onChange={(e) => onChange(e.target.value)}
        onFocus={onFocus}
        onBlur={onBlur}
        data-testid={testId}
      />
    </label>
  );
}

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="flex flex-col gap-0.5 text-xs text-stone-600">
      <span>{label}</span>
      {children}
    </div>
  );
}

/** A run control and what the run showed: status, an exercise's browser check, the outputs (the notebook's). */
const RunPanel = memo(function RunPanel({ runKey, label, onRun, testId }: { runKey: string; label: string; onRun: () => void; testId: string }) {
  const t = useTranslations("teach.editor.run");
  const run = useAuthorRun(runKey);
  const busy = run?.status === "queued" || run?.status === "running";
  return (
    <div className="rounded-md border border-stone-100" data-testid={testId} data-status={run?.status ?? "idle"} data-check={run?.check}>
      <div className="flex items-center gap-2 px-2 py-1 text-xs text-stone-500">
        <button type="button" className="rounded px-1.5 py-0.5 text-accent hover:bg-accent-soft disabled:text-stone-300" disabled={busy} onClick={onRun} data-testid={`${testId}-button`}>
          ▶ {label}
        </button>
        {busy && <span>{t("running")}</span>}
        {run?.check && (
          <span className={`rounded px-1.5 ${run.check === "passed" ? "bg-emerald-100 text-emerald-800" : "bg-red-100 text-red-800"}`} data-testid={`${testId}-check`}>
            {run.check === "passed" ? t("passed") : t("failed")}
          </span>
        )}
        {run?.durationMs != null && !busy && <span className="text-stone-400">{Math.round(run.durationMs)} ms</span>}
      </div>
      {run && <Outputs outputs={run.outputs} />}
    </div>
  );
});

function CellFormImpl({ cell, locale, outdated, onEdit, onSession, onMarkUpToDate, onGrading, readCell }: Props) {
  const t = useTranslations("teach.editor");
  const focus = () => onSession(cell.id, locale);
  const blur = () => onSession(null, locale);
  const edit = (patch: CellPatch) => onEdit(cell.id, locale, patch);
  const tr = useTranslations("teach.editor.run");
  const kernel = useContext(AuthorKernelContext);
  const common = { onFocus: focus, onBlur: blur };
  // This form's fields belong to a form of their own (field-form.tsx).
  const formId = useId();
  // The editors' callbacks stay the same while the cell changes (a run reads it from the store), so
  // a keystroke re-renders the field typed in, not its siblings (memoized AuthorCode).
  const f = useMemo(() => {
    const id = cell.id;
    const change = (key: "source" | "starter" | "check" | "solution") => (v: string) => onEdit(id, locale, { [key]: v } as CellPatch);
    const run = (part: "source" | "starter" | "solution") => () => {
      const c = readCell(locale);
      if (!c) return; // deleted meanwhile
      if (c.kind === "code" || c.kind === "sql") void kernel?.run({ key: `${id}:${locale}`, cellId: id, source: c.source, kind: c.kind });
      else if (c.kind === "exercise" && part !== "source") void kernel?.run({ key: `${id}:${locale}:${part}`, cellId: id, source: c[part], kind: "exercise", check: c.check });
    };
    return {
      source: change("source"),
      starter: change("starter"),
      check: change("check"),
      solution: change("solution"),
      tests: (tests: string | undefined) => onEdit(id, locale, { tests }),
      editing: (on: boolean) => onSession(on ? id : null, locale),
      focus: () => onSession(id, locale),
      blur: () => onSession(null, locale),
      run: run("source"),
      runStarter: run("starter"),
      runSolution: run("solution"),
    };
  }, [cell.id, locale, onEdit, onSession, kernel, readCell]);
  let body;
  if (cell.kind === "markdown") {
    body = (
      <>
        <AuthorCode value={cell.source} language="markdown" label={t("kinds.markdown")} onChange={f.source} onEditing={f.editing} testId={`source-${locale}`} />
        <MarkdownPreview source={cell.source} />
      </>
    );
  } else if (cell.kind === "code" || cell.kind === "sql") {
    body = (
      <>
        <AuthorCode value={cell.source} language={cell.kind === "sql" ? "sql" : "ts"} label={t(`kinds.${cell.kind}`)} onChange={f.source} onEditing={f.editing} onRun={f.run} testId={`source-${locale}`} />
        <RunPanel runKey={`${cell.id}:${locale}`} label={tr("run")} onRun={f.run} testId={`run-${locale}`} />
      </>
    );
  } else if (cell.kind === "exercise") {
    body = (
      <div className="flex flex-col gap-1.5">
        <Field label={t("exercise.starter")}>
          <AuthorCode value={cell.starter} language="ts" label={t("exercise.starter")} onChange={f.starter} onEditing={f.editing} onRun={f.runStarter} testId={`starter-${locale}`} />
        </Field>
        <Field label={t("exercise.check")}>
          <AuthorCode value={cell.check} language="ts" label={t("exercise.check")} onChange={f.check} onEditing={f.editing} onRun={f.runSolution} testId={`check-${locale}`} />
        </Field>
        {cell.hints.map((h, i) => (
          <Text key={i} {...common} label={`${t("exercise.hints")} ${i + 1}`} value={h} mono={false} onChange={(v) => edit({ hints: cell.hints.map((x, k) => (k === i ? v : x)) })} />
        ))}
        <button type="button" className="self-start text-xs text-accent hover:underline" onClick={() => (focus(), edit({ hints: [...cell.hints, ""] }), blur())}>
          + {t("exercise.addHint")}
        </button>
        <Field label={t("exercise.solution")}>
          <AuthorCode value={cell.solution} language="ts" label={t("exercise.solution")} onChange={f.solution} onEditing={f.editing} onRun={f.runSolution} testId={`solution-${locale}`} />
        </Field>
        <div className="flex flex-col gap-1">
          <RunPanel runKey={`${cell.id}:${locale}:starter`} label={tr("runStarter")} onRun={f.runStarter} testId={`run-starter-${locale}`} />
          <RunPanel runKey={`${cell.id}:${locale}:solution`} label={tr("runSolution")} onRun={f.runSolution} testId={`run-solution-${locale}`} />
        </div>
        <GradingFieldsForm cell={cell} locale={locale} onGrading={onGrading} onTests={f.tests} onFocus={f.focus} onBlur={f.blur} />
      </div>
    );
  } else {
    const setQ = (i: number, q: QuizQuestion) => edit({ questions: cell.questions.map((x, k) => (k === i ? q : x)) });
    body = (
      <div className="flex flex-col gap-2">
        {cell.questions.map((q, i) => (
          <fieldset key={i} className="rounded border border-stone-200 p-2">
            <legend className="text-xs text-stone-500">{t("quiz.question", { n: i + 1 })}</legend>
            <Text {...common} label={t("quiz.prompt")} value={q.prompt} mono={false} onChange={(prompt) => setQ(i, { ...q, prompt })} />
            {q.options.map((o, k) => (
              <div key={k} className="mt-1 flex items-center gap-1">
                <input
                  form={formId}
                  type="checkbox"
                  aria-label={t("quiz.correct")}
                  checked={o.correct}
                  onChange={(e) => (focus(), setQ(i, { ...q, options: q.options.map((x, j) => (j === k ? { ...x, correct: e.target.checked } : x)) }), blur())}
                />
                <input
                  form={formId}
                  className="flex-1 rounded border border-stone-300 px-1 text-sm"
                  aria-label={t("quiz.option")}
                  value={o.text}
                  onFocus={focus}
                  onBlur={blur}
                  onChange={(e) => setQ(i, { ...q, options: q.options.map((x, j) => (j === k ? { ...x, text: e.target.value } : x)) })}
                />
              </div>
            ))}
            <button type="button" className="text-xs text-accent hover:underline" onClick={() => (focus(), setQ(i, { ...q, options: [...q.options, { text: "", correct: false }] }), blur())}>
              + {t("quiz.addOption")}
            </button>
            <div className="mt-1 flex gap-2 text-xs text-stone-600">
              <label>
                {t("quiz.time")}
                <input
                  form={formId}
                  type="number"
                  min={5}
                  max={240}
                  className="ml-1 w-16 rounded border border-stone-300 px-1"
                  value={q.timeLimitSec ?? ""}
                  onFocus={focus}
                  onBlur={blur}
                  onChange={(e) => {
                    const n = Number.parseInt(e.target.value, 10);
                    const { timeLimitSec: _t, ...rest } = q;
                    setQ(i, Number.isFinite(n) ? { ...rest, timeLimitSec: Math.min(240, Math.max(5, n)) } : rest);
                  }}
                />
              </label>
              <label>
                {t("quiz.points")}
                <select
                  form={formId}
                  className="ml-1 rounded border border-stone-300"
                  value={q.points === undefined ? "" : String(q.points)}
                  onChange={(e) => {
                    const { points: _p, ...rest } = q;
                    focus();
                    setQ(i, e.target.value === "" ? rest : { ...rest, points: Number(e.target.value) as 0 | 1000 | 2000 });
                    blur();
                  }}
                >
                  <option value="">—</option>
                  <option value="0">0</option>
                  <option value="1000">1000</option>
                  <option value="2000">2000</option>
                </select>
              </label>
            </div>
            <Text {...common} label={t("quiz.explanation")} value={q.explanation ?? ""} mono={false} onChange={(v) => setQ(i, { ...q, ...(v ? { explanation: v } : { explanation: undefined }) })} />
          </fieldset>
        ))}
        <button type="button" className="self-start text-xs text-accent hover:underline" onClick={() => (focus(), edit({ questions: [...cell.questions, { prompt: "", options: [{ text: "", correct: true }, { text: "", correct: false }] }] }), blur())}>
          + {t("quiz.addQuestion")}
        </button>
      </div>
    );
  }
  return (
    <FieldFormProvider value={formId}>
    <div className={`flex flex-col gap-1 ${outdated ? "rounded-md ring-2 ring-amber-300" : ""}`} data-testid={`cell-form-${locale}`} data-outdated={outdated ? "true" : "false"}>
      <DetachedForm id={formId} />
      {outdated && (
        <div className="flex items-center justify-between bg-amber-50 px-2 py-0.5 text-xs text-amber-800" data-testid="outdated-mark">
          <span>{t("outdated")}</span>
          <button type="button" className="underline" onClick={() => onMarkUpToDate(cell.id, locale)}>
            {t("markUpToDate")}
          </button>
        </div>
      )}
      {body}
    </div>
    </FieldFormProvider>
  );
}

export const CellForm = memo(CellFormImpl);
