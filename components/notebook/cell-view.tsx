"use client";
// One cell: frame (status, run control, toolbar), its body by kind, and its outputs.
import { useTranslations } from "next-intl";
import { memo, useEffect, useRef, useState } from "react";
import type { TypedCellInput } from "@/lib/notebook/cell-types";
import type { Cell, ExerciseCell, QuizCell } from "@/lib/notebook/types";
import { CodeArea, StaticCode } from "./code-area";
import { ExerciseGrading, useLessonGrading } from "./exercise-grading";
import { Outputs } from "./outputs";
import type { CellRuntime } from "./run-state";
import { whenIdle } from "./idle-queue";
import { loadMarkdown } from "./sanitize";

export interface CellActions {
  select(id: string): void;
  edit(id: string | null): void;
  change(id: string, source: string): void;
  run(id: string, advance?: boolean): void;
  move(id: string, delta: number): void;
  remove(id: string): void;
  reset(id: string): void;
  setKind(id: string, kind: "code" | "markdown" | "sql"): void;
  insert(id: string, where: "above" | "below", kind?: "code" | "markdown" | "sql"): void;
  quizScore(id: string, score: number): void;
  /** The editor of cell `id` counted `count` type errors in its text. */
  typeErrors(id: string, count: number): void;
  /** Go to definition of `name`, defined by cell `id`: edit that cell with the caret there. */
  goToDefinition(id: string, name: string): void;
}

export interface CellViewProps {
  cell: Cell;
  index: number;
  runtime: CellRuntime;
  selected: boolean;
  editing: boolean;
  ready: boolean;
  /** Server-rendered HTML of a markdown cell's original source. */
  prerendered?: string;
  /** Server-rendered inline HTML of quiz texts, keyed "inline:<text>". */
  inline?: Record<string, string>;
  /** The TypeScript cells above (for the editor's types; the same empty array unless this cell is edited). */
  earlierCells: readonly TypedCellInput[];
  /** Type errors the editor found in this cell's text (last time it was edited). */
  typeErrors?: number;
  /** Where the caret goes when editing starts by go to definition. */
  caretAt?: number;
  resettable: boolean;
  actions: CellActions;
}

const STATUS_STYLE: Record<string, string> = {
  idle: "bg-stone-300",
  queued: "bg-amber-300",
  running: "bg-blue-500 animate-pulse",
  done: "bg-emerald-500",
  error: "bg-red-500",
  stale: "bg-orange-400",
};

export const CellView = memo(function CellView(props: CellViewProps) {
  const { cell, runtime, selected, editing, actions, ready } = props;
  const t = useTranslations("notebook");
  const runnable = cell.kind === "code" || cell.kind === "sql" || cell.kind === "exercise";
  const count = runnable ? cell.executionCount : undefined;
  return (
    <section
      data-testid="cell"
      data-cell-id={cell.id}
      data-kind={cell.kind}
      data-selected={selected ? "true" : undefined}
      tabIndex={-1}
      onMouseDown={() => !selected && actions.select(cell.id)}
      className={`group relative rounded-lg border bg-white outline-none transition-colors ${
        selected ? (editing ? "border-accent ring-1 ring-accent/30" : "border-blue-300") : "border-transparent hover:border-stone-200"
      } ${cell.kind === "markdown" ? "" : "shadow-sm ring-1 ring-stone-200"}`}
    >
      {runnable && (
        <div className="flex items-center gap-2 border-b border-stone-100 px-2 py-1 text-xs text-stone-500">
          <button
            type="button"
            data-testid="cell-run"
            disabled={!ready}
            onClick={(e) => {
              e.stopPropagation();
              actions.run(cell.id);
            }}
            className="inline-flex h-6 w-6 items-center justify-center rounded-full text-accent hover:bg-accent-soft disabled:text-stone-300"
            title={cell.kind === "exercise" ? t("exercise.check") : t("cell.run")}
            aria-label={cell.kind === "exercise" ? t("exercise.check") : t("cell.run")}
          >
            ▶
          </button>
          <span
            data-testid="cell-status"
            data-status={runtime.status}
            title={t(`status.${runtime.status}`)}
            className="inline-flex items-center gap-1"
          >
            <span className={`inline-block h-2 w-2 rounded-full ${STATUS_STYLE[runtime.status]}`} />
            <span>{t(`status.${runtime.status}`)}</span>
          </span>
          <span className="font-mono text-stone-400">[{count ?? " "}]</span>
          {runtime.durationMs != null && runtime.status !== "running" && (
            <span className="text-stone-400">{formatDuration(runtime.durationMs)}</span>
          )}
          {!!props.typeErrors && (
            <span data-testid="cell-type-errors" data-count={props.typeErrors} title={t("cell.typeErrorsHint")} className="rounded bg-red-50 px-1.5 text-red-700">
              {t("cell.typeErrors", { count: props.typeErrors })}
            </span>
          )}
          <span className="rounded bg-stone-100 px-1.5 font-mono text-[11px] uppercase text-stone-500">
            {cell.kind === "code" ? "ts" : cell.kind}
          </span>
          <CellToolbar {...props} />
        </div>
      )}
      {!runnable && (
        <div className="absolute right-1 top-1 z-10 hidden text-xs group-hover:flex group-data-[selected=true]:flex">
          <CellToolbar {...props} />
        </div>
      )}
      <CellBody {...props} />
      {runnable && <Outputs outputs={cell.outputs} />}
    </section>
  );
});

function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

function CellToolbar({ cell, actions, resettable }: CellViewProps) {
  const t = useTranslations("notebook");
  const btn = "rounded px-1.5 py-0.5 hover:bg-stone-200 text-stone-600";
  return (
    <div className="ml-auto flex items-center gap-0.5 rounded bg-white/90 opacity-60 group-hover:opacity-100" onMouseDown={(e) => e.stopPropagation()}>
      {(cell.kind === "code" || cell.kind === "sql" || cell.kind === "markdown") && (
        <select
          aria-label={t("cell.kind")}
          value={cell.kind}
          onChange={(e) => actions.setKind(cell.id, e.target.value as "code")}
          className="rounded border-none bg-transparent py-0 text-xs text-stone-600"
        >
          <option value="code">TypeScript</option>
          <option value="sql">SQL</option>
          <option value="markdown">Markdown</option>
        </select>
      )}
      <button type="button" className={btn} title={t("cell.moveUp")} aria-label={t("cell.moveUp")} onClick={() => actions.move(cell.id, -1)}>↑</button>
      <button type="button" className={btn} title={t("cell.moveDown")} aria-label={t("cell.moveDown")} onClick={() => actions.move(cell.id, 1)}>↓</button>
      <button type="button" className={btn} title={t("cell.insertBelow")} aria-label={t("cell.insertBelow")} onClick={() => actions.insert(cell.id, "below")}>+</button>
      {resettable && (
        <button type="button" data-testid="cell-reset" className={btn} title={t("cell.reset")} aria-label={t("cell.reset")} onClick={() => actions.reset(cell.id)}>↺</button>
      )}
      <button type="button" data-testid="cell-delete" className={`${btn} hover:text-red-700`} title={t("cell.delete")} aria-label={t("cell.delete")} onClick={() => actions.remove(cell.id)}>✕</button>
    </div>
  );
}

function CellBody(props: CellViewProps) {
  const { cell } = props;
  switch (cell.kind) {
    case "markdown":
      return <MarkdownBody {...props} />;
    case "quiz":
      return <QuizBody cell={cell} actions={props.actions} inline={props.inline} />;
    case "exercise":
      return <ExerciseBody {...props} cell={cell} />;
    default:
      return <SourceEditor {...props} language={cell.kind === "sql" ? "sql" : "ts"} />;
  }
}

function SourceEditor(props: CellViewProps & { language: "ts" | "sql" | "markdown" }) {
  const { cell, editing, actions, earlierCells, language } = props;
  const t = useTranslations("notebook");
  return (
    <CodeArea
      value={cell.source}
      language={language}
      editing={editing}
      earlierCells={earlierCells}
      caretAt={props.caretAt}
      onTypeErrors={language === "ts" ? (count) => actions.typeErrors(cell.id, count) : undefined}
      onGoToCell={(id, name) => actions.goToDefinition(id, name)}
      placeholder={t("cell.placeholder")}
      ariaLabel={t("cell.editorLabel")}
      onStartEdit={() => actions.edit(cell.id)}
      onChange={(v) => actions.change(cell.id, v)}
      onRun={(advance) => actions.run(cell.id, advance)}
      onEscape={() => actions.edit(null)}
    />
  );
}

function MarkdownBody(props: CellViewProps) {
  const { cell, editing, prerendered, actions } = props;
  const t = useTranslations("notebook");
  const [html, setHtml] = useState<{ source: string; html: string } | null>(null);
  const raw = cell.kind === "markdown" && cell.raw;
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (prerendered !== undefined || raw) return;
    // Rendering (KaTeX) waits for idle time, a few cells at a time; a cell on screen goes first.
    // Until then its source shows as text.
    let live = true;
    let task: ReturnType<typeof whenIdle> | null = null;
    let seen: IntersectionObserver | null = null;
    const source = cell.source;
    void loadMarkdown().then((m) => {
      if (!live) return;
      task = whenIdle(() => live && setHtml({ source, html: m.renderMarkdown(source) }));
      if (box.current && typeof IntersectionObserver !== "undefined") {
        seen = new IntersectionObserver((entries) => {
          if (!entries.some((e) => e.isIntersecting)) return;
          task?.hurry();
          seen?.disconnect();
        }, { rootMargin: "25% 0px" });
        seen.observe(box.current);
      }
    });
    return () => {
      live = false;
      task?.cancel();
      seen?.disconnect();
    };
  }, [cell.source, prerendered, raw]);
  if (editing) return <SourceEditor {...props} language="markdown" />;
  const shown = prerendered ?? (html?.source === cell.source ? html.html : html?.html);
  return (
    <div ref={box} className="px-3 py-1" onDoubleClick={() => actions.edit(cell.id)}>
      {raw ? (
        <pre className="whitespace-pre-wrap font-mono text-sm">{cell.source}</pre>
      ) : cell.source.trim() === "" ? (
        <p className="py-2 text-sm text-stone-400">{t("cell.emptyMarkdown")}</p>
      ) : shown !== undefined ? (
        <div data-testid="markdown" className="prose-cuaderno max-w-none" dangerouslySetInnerHTML={{ __html: shown }} />
      ) : (
        <pre className="whitespace-pre-wrap text-sm text-stone-700">{cell.source}</pre>
      )}
    </div>
  );
}

function ExerciseBody(props: CellViewProps & { cell: ExerciseCell }) {
  const { cell, runtime, actions } = props;
  const t = useTranslations("notebook");
  const tx = useTranslations("exercises");
  // In a lesson, hints, the solution and the grade come from the server (exercise-grading.tsx);
  // elsewhere (an imported notebook) the cell's own hints and solution are shown here.
  const lesson = useLessonGrading();
  return (
    <div data-testid="exercise">
      <div className="flex items-center gap-2 px-3 pt-2 text-xs font-semibold uppercase tracking-wide text-violet-700">
        {t("exercise.title")}
        {runtime.check && (
          <span
            data-testid="exercise-verdict"
            data-verdict={runtime.check}
            title={tx("checkedInBrowser")}
            className={`rounded px-1.5 py-0.5 normal-case ${runtime.check === "passed" ? "bg-emerald-100 text-emerald-800" : "bg-red-100 text-red-800"}`}
          >
            {runtime.check === "passed" ? t("exercise.passed") : t("exercise.failed")}
            <span className="font-normal"> · {tx("checkedInBrowser")}</span>
          </span>
        )}
      </div>
      <SourceEditor {...props} language="ts" />
      <div className="flex flex-wrap items-center gap-2 border-t border-stone-100 px-3 py-2 text-sm">
        <button
          type="button"
          data-testid="exercise-check"
          disabled={!props.ready}
          onClick={() => actions.run(cell.id)}
          title={tx("checkedInBrowser")}
          className="rounded-md bg-violet-700 px-3 py-1 font-medium text-white hover:bg-violet-800 disabled:bg-violet-300"
        >
          {t("exercise.check")}
        </button>
        {!lesson && <LocalHelp cell={cell} actions={actions} />}
      </div>
      {lesson && <ExerciseGrading exerciseId={cell.id} source={cell.source} onUseSolution={(solution) => actions.change(cell.id, solution)} />}
    </div>
  );
}

/** Hints and solution an imported (non-lesson) exercise carries itself; nothing is graded or recorded. */
function LocalHelp({ cell, actions }: { cell: ExerciseCell; actions: CellActions }) {
  const t = useTranslations("notebook");
  const [hints, setHints] = useState(0);
  const [solution, setSolution] = useState(false);
  return (
    <>
      {cell.hints.length > 0 && (
        <button
          type="button"
          data-testid="exercise-hint"
          disabled={hints >= cell.hints.length}
          onClick={() => setHints(hints + 1)}
          className="rounded-md border border-stone-300 px-3 py-1 hover:bg-stone-100 disabled:text-stone-400"
        >
          {hints >= cell.hints.length ? t("exercise.noMoreHints") : t("exercise.hint", { n: hints + 1, total: cell.hints.length })}
        </button>
      )}
      {cell.solution && !solution && (
        <button
          type="button"
          data-testid="exercise-show-solution"
          onClick={() => {
            if (!window.confirm(t("exercise.confirmSolution"))) return;
            setSolution(true);
          }}
          className="rounded-md border border-stone-300 px-3 py-1 hover:bg-stone-100"
        >
          {t("exercise.showSolution")}
        </button>
      )}
      {hints > 0 && (
        <ol className="w-full list-decimal rounded-md bg-amber-50 py-2 pl-8 pr-3 text-sm text-amber-900" data-testid="exercise-hints">
          {cell.hints.slice(0, hints).map((h, i) => (
            <li key={i}>{h}</li>
          ))}
        </ol>
      )}
      {solution && (
        <div className="w-full rounded-md border border-violet-200 bg-violet-50" data-testid="exercise-solution">
          <div className="flex items-center justify-between px-3 pt-2 text-xs font-semibold text-violet-800">
            {t("exercise.solution")}
            <button type="button" className="rounded px-2 py-0.5 font-normal hover:bg-violet-100" onClick={() => actions.change(cell.id, cell.solution)}>
              {t("exercise.useSolution")}
            </button>
          </div>
          <StaticCode source={cell.solution} language="ts" />
        </div>
      )}
    </>
  );
}

function Inline({ text, inline }: { text: string; inline?: Record<string, string> }) {
  const html = inline?.[`inline:${text}`];
  return html !== undefined ? <span dangerouslySetInnerHTML={{ __html: html }} /> : <>{text}</>;
}

function QuizBody({ cell, actions, inline }: { cell: QuizCell; actions: CellActions; inline?: Record<string, string> }) {
  const t = useTranslations("notebook");
  const [picked, setPicked] = useState<boolean[][]>(() => cell.questions.map((q) => q.options.map(() => false)));
  const [submitted, setSubmitted] = useState(false);
  const correct = cell.questions.map((q, i) => q.options.every((o, j) => o.correct === (picked[i]?.[j] ?? false)));
  const score = correct.filter(Boolean).length;
  return (
    <div className="px-4 py-3" data-testid="quiz">
      <div className="mb-2 flex items-baseline gap-2">
        <span className="text-xs font-semibold uppercase tracking-wide text-teal-700">{t("quiz.title")}</span>
        <span className="text-xs text-stone-500" data-testid="quiz-not-graded">{t("quiz.notGraded")}</span>
      </div>
      <ol className="flex flex-col gap-4">
        {cell.questions.map((q, i) => {
          const multi = q.options.filter((o) => o.correct).length > 1;
          return (
            <li key={i} data-testid="quiz-question" data-correct={submitted ? String(correct[i]) : undefined}>
              <div className="font-medium"><Inline text={q.prompt} inline={inline} /></div>
              {multi && <div className="text-xs text-stone-500">{t("quiz.several")}</div>}
              <div className="mt-1 flex flex-col gap-1">
                {q.options.map((o, j) => {
                  const on = picked[i]?.[j] ?? false;
                  const mark = submitted ? (o.correct ? "border-emerald-400 bg-emerald-50" : on ? "border-red-300 bg-red-50" : "border-stone-200") : on ? "border-accent bg-accent-soft" : "border-stone-200";
                  return (
                    <label key={j} className={`flex cursor-pointer items-center gap-2 rounded-md border px-2 py-1 text-sm ${mark}`}>
                      <input
                        type={multi ? "checkbox" : "radio"}
                        name={`${cell.id}-${i}`}
                        checked={on}
                        disabled={submitted}
                        onChange={() =>
                          setPicked((p) => p.map((row, qi) => (qi !== i ? row : row.map((v, oj) => (multi ? (oj === j ? !v : v) : oj === j)))))
                        }
                      />
                      <Inline text={o.text} inline={inline} />
                    </label>
                  );
                })}
              </div>
              {submitted && (
                <div className={`mt-1 text-sm ${correct[i] ? "text-emerald-800" : "text-red-800"}`}>
                  {correct[i] ? t("quiz.right") : t("quiz.wrong")} {q.explanation && <Inline text={q.explanation} inline={inline} />}
                </div>
              )}
            </li>
          );
        })}
      </ol>
      <div className="mt-3 flex items-center gap-3">
        {!submitted ? (
          <button
            type="button"
            data-testid="quiz-submit"
            className="rounded-md bg-teal-700 px-3 py-1 text-sm font-medium text-white hover:bg-teal-800"
            onClick={() => {
              setSubmitted(true);
              actions.quizScore(cell.id, cell.questions.length ? score / cell.questions.length : 0);
            }}
          >
            {t("quiz.submit")}
          </button>
        ) : (
          <>
            <span data-testid="quiz-score" className="font-semibold">{t("quiz.score", { score, total: cell.questions.length })}</span>
            <button
              type="button"
              className="rounded-md border border-stone-300 px-3 py-1 text-sm hover:bg-stone-100"
              onClick={() => {
                setSubmitted(false);
                setPicked(cell.questions.map((q) => q.options.map(() => false)));
              }}
            >
              {t("quiz.retry")}
            </button>
          </>
        )}
      </div>
    </div>
  );
}
