// The course's graded exercises (those with a hidden `--- tests` section), in course order, as
// gradebook items. Read from the lesson files once per process and locale.
import { gradedExercises } from "@/lib/content/graded-exercises";
import { listLessons, lessonsDir } from "@/lib/content/lessons";
import { itemKey, type ExerciseItem } from "@/lib/gradebook/items";
import type { Locale } from "@/lib/i18n/routing";

const cache = new Map<string, ExerciseItem[]>();

/** The last heading of the prose just before the exercise (`md-<id>`), else the exercise's id. */
function exerciseTitle(cells: { id: string; kind: string; source: string }[], exerciseId: string): string {
  const prose = cells.find((c) => c.id === `md-${exerciseId}` && c.kind === "markdown");
  const heading = prose?.source.split("\n").filter((l) => /^#{1,6}\s+\S/.test(l)).pop();
  return heading ? heading.replace(/^#{1,6}\s+/, "").trim().slice(0, 120) : exerciseId;
}

export function courseExerciseItems(locale: Locale, dir = lessonsDir): ExerciseItem[] {
  const cacheKey = `${dir}\0${locale}`;
  const cached = cache.get(cacheKey);
  if (cached) return cached;
  const items: ExerciseItem[] = gradedExercises(locale, dir).map(({ lesson, doc, cell }) => ({
    kind: "exercise",
    key: itemKey.exercise(lesson.slug, cell.id),
    lessonSlug: lesson.slug,
    lessonTitle: lesson.title[locale],
    exerciseId: cell.id,
    title: exerciseTitle(doc.cells, cell.id),
    inTotal: true,
  }));
  cache.set(cacheKey, items);
  return items;
}

/** Lesson slug → title, for exercises submitted to a lesson the catalogue no longer lists. */
export function lessonTitles(locale: Locale, dir = lessonsDir): Map<string, string> {
  return new Map(listLessons(dir).map((l) => [l.slug, l.title[locale]]));
}
