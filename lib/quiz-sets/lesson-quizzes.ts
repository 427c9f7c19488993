// The course's quiz blocks, read from the lesson files and converted to live questions: what an
// instructor picks questions from and what "play this lesson's quiz live" starts. Server side
// (reads content/); the conversion itself is from-lesson.ts.
import type { Locale } from "@/lib/i18n/routing";
import { lessonsDir, listLessons, readLessonSource } from "@/lib/content/lessons";
import type { Question } from "@/lib/live/questions";
import { parseLessonMarkdown } from "@/lib/notebook/lesson-markdown";
import type { QuizCell } from "@/lib/notebook/types";
import { lessonQuizToLive } from "./from-lesson";

export interface LessonQuiz {
  lessonSlug: string;
  lessonTitle: string;
  /** The quiz block's id in the lesson ("self-check"). */
  quizId: string;
  questions: Question[];
}

const cache = new Map<string, LessonQuiz[]>();

/** Every quiz block of every lesson in a locale, in course order (cached: lesson files are fixed at run time). */
export function lessonQuizzes(locale: Locale, dir = lessonsDir): LessonQuiz[] {
  const key = `${dir}\0${locale}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const out: LessonQuiz[] = [];
  for (const lesson of listLessons(dir)) {
    const source = readLessonSource(lesson.slug, locale, dir);
    if (!source) continue;
    const doc = parseLessonMarkdown(source, { locale, lessonSlug: lesson.slug });
    for (const cell of doc.cells) {
      if (cell.kind !== "quiz") continue;
      out.push({ lessonSlug: lesson.slug, lessonTitle: lesson.title[locale], quizId: cell.id, questions: lessonQuizToLive((cell as QuizCell).questions) });
    }
  }
  cache.set(key, out);
  return out;
}

/** One lesson's quiz block (the first when `quizId` is not given), or null. */
export function lessonQuiz(locale: Locale, lessonSlug: string, quizId?: string, dir = lessonsDir): LessonQuiz | null {
  return lessonQuizzes(locale, dir).find((q) => q.lessonSlug === lessonSlug && (quizId === undefined || q.quizId === quizId)) ?? null;
}
