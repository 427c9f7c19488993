// The lesson check's static part (issue 15 point 4): what can be verified without running code.
// Running every cell in a kernel (browser, or Node in CI) and the hidden tests in the grading
// sandbox (server) add their own problems in the same shape. Each problem names its cell and
// language, so the editor links it to the cell; `key`/`params` translate it (teach.check.<key>).
import { ExerciseSpecError, parseTestsSection } from "@/lib/grading/exercise-spec";
import { bundleLocales, type LessonBundle, type LessonLocale } from "./bundle";
import { LessonImportError } from "./errors";
import { bundleFromFolder, bundleToFolder } from "./folder";
import { readGradingFields, toleranceLine } from "./grading-fields";
import { LESSON_CELL_ID_RE } from "./validate";

export type CheckProblemKey =
  | "noTitle"
  | "duplicateId"
  | "badId"
  | "emptyMarkdown"
  | "unknownDataset"
  | "quizNoQuestion"
  | "quizEmptyPrompt"
  | "quizFewOptions"
  | "quizNoCorrect"
  | "exerciseNoSolution"
  | "exerciseNoCheck"
  | "testsInvalid"
  | "gradingDiffers"
  | "notAFile"
  // Run-time problems (kernel and sandbox), reported by the runners in this shape:
  | "cellError"
  | "solutionFailsCheck"
  | "starterPassesCheck"
  | "solutionFailsTests"
  | "starterPassesTests"
  | "testsNotRun";

export interface CheckProblem {
  key: CheckProblemKey;
  /** The cell it is about (null: the whole lesson). */
  cellId: string | null;
  locale: LessonLocale | null;
  params: Record<string, string | number>;
  message: string;
}

const problem = (key: CheckProblemKey, cellId: string | null, locale: LessonLocale | null, message: string, params: Record<string, string | number> = {}): CheckProblem => ({
  key,
  cellId,
  locale,
  params,
  message,
});

/** Every static problem of the bundle; `datasets` are the names `data.load` can reach for this lesson. */
export function staticCheck(bundle: LessonBundle, datasets: ReadonlySet<string>): CheckProblem[] {
  const out: CheckProblem[] = [];
  for (const name of bundle.meta.datasets) {
    if (!datasets.has(name)) out.push(problem("unknownDataset", null, null, `dataset "${name}" does not exist`, { name }));
  }
  for (const locale of bundleLocales(bundle)) {
    if (!bundle.meta.title[locale]?.trim()) out.push(problem("noTitle", null, locale, `the lesson has no ${locale} title`));
    const doc = bundle.docs[locale]!;
    const seen = new Set<string>();
    for (const cell of doc.cells) {
      const id = cell.id as string;
      if (seen.has(id)) out.push(problem("duplicateId", id, locale, `two cells have the id "${id}"`, { id }));
      seen.add(id);
      if (!LESSON_CELL_ID_RE.test(id)) out.push(problem("badId", id, locale, `cell id "${id}" must be kebab-case`, { id }));
      if (cell.kind === "markdown" && cell.source.trim() === "") out.push(problem("emptyMarkdown", id, locale, "empty text cell"));
      if (cell.kind === "code" || cell.kind === "sql") {
        for (const m of cell.source.matchAll(/data\.load\(\s*["']([^"':]+)["']\s*\)/g)) {
          if (!datasets.has(m[1]!)) out.push(problem("unknownDataset", id, locale, `dataset "${m[1]}" does not exist`, { name: m[1]! }));
        }
      }
      if (cell.kind === "quiz") {
        if (cell.questions.length === 0) out.push(problem("quizNoQuestion", id, locale, "the quiz has no questions"));
        cell.questions.forEach((q, i) => {
          const n = i + 1;
          if (!q.prompt.trim()) out.push(problem("quizEmptyPrompt", id, locale, `question ${n} has no text`, { question: n }));
          if (q.options.filter((o) => o.text.trim()).length < 2) out.push(problem("quizFewOptions", id, locale, `question ${n} needs at least two options`, { question: n }));
          if (!q.options.some((o) => o.correct)) out.push(problem("quizNoCorrect", id, locale, `question ${n} has no correct answer`, { question: n }));
        });
      }
      if (cell.kind === "exercise") {
        if (!cell.solution.trim()) out.push(problem("exerciseNoSolution", id, locale, "the exercise has no solution"));
        if (!cell.check.trim()) out.push(problem("exerciseNoCheck", id, locale, "the exercise has no browser check"));
        if (cell.tests !== undefined) {
          try {
            parseTestsSection(cell.tests);
          } catch (e) {
            const message = e instanceof ExerciseSpecError ? e.message : String(e);
            out.push(problem("testsInvalid", id, locale, `hidden tests: ${message}`, { problem: message }));
          }
        }
      }
    }
  }
  // Kind, target and tolerance are the same in both languages (only case names are translated).
  if (bundle.docs.es && bundle.docs.en) {
    const en = new Map(bundle.docs.en.cells.map((c) => [c.id as string, c]));
    for (const es of bundle.docs.es.cells) {
      const other = en.get(es.id);
      if (es.kind !== "exercise" || other?.kind !== "exercise") continue;
      const a = readGradingFields(es.tests);
      const b = readGradingFields(other.tests);
      if (a.kind !== b.kind || a.target.replace(/\s+/g, "") !== b.target.replace(/\s+/g, "") || toleranceLine(a.tolerance) !== toleranceLine(b.tolerance)) {
        out.push(problem("gradingDiffers", es.id, null, "the grading kind, names or tolerance differ between es and en"));
      }
    }
  }
  // What is published must read back from files as the same lesson (point 8).
  if (out.length === 0) {
    try {
      bundleFromFolder(bundleToFolder(bundle, "lesson"));
    } catch (e) {
      if (!(e instanceof LessonImportError)) throw e;
      const file = String(e.params.file ?? "");
      out.push(problem("notAFile", null, file === "en.md" ? "en" : file === "es.md" ? "es" : null, e.message, { problem: e.message }));
    }
  }
  return out;
}
