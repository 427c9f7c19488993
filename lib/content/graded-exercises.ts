// The course's server-graded exercises (those with a hidden `--- tests` section), in course order:
// what the gradebook lists as items, and what benchmarks and tests pick an exercise from.
// Server only: the documents hold the hidden parts.
import type { Locale } from "@/lib/i18n/routing";
import { parseTestsSection, type ExerciseSpec } from "../grading/exercise-spec";
import { parseLessonMarkdown } from "../notebook/lesson-markdown";
import type { ExerciseCell, NotebookDocument } from "../notebook/types";
import { lessonsDir, listLessons, readLessonSource, type LessonMeta } from "./lessons";

export interface GradedExercise {
  lesson: LessonMeta;
  /** The whole lesson document, hidden parts included. */
  doc: NotebookDocument;
  cell: ExerciseCell & { tests: string };
  spec: ExerciseSpec;
}

export function gradedExercises(locale: Locale, dir = lessonsDir): GradedExercise[] {
  const out: GradedExercise[] = [];
  for (const lesson of listLessons(dir)) {
    const source = readLessonSource(lesson.slug, locale, dir);
    if (!source) continue;
    const doc = parseLessonMarkdown(source, { locale, lessonSlug: lesson.slug });
    for (const cell of doc.cells) {
      if (cell.kind === "exercise" && cell.tests !== undefined) out.push({ lesson, doc, cell: cell as ExerciseCell & { tests: string }, spec: parseTestsSection(cell.tests) });
    }
  }
  return out;
}
