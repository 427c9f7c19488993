// "Translation outdated" marks (issue 15 point 3). Both languages hold the same cells; an edit to
// a cell in one language marks the other language's cell outdated, until the author updates it
// there. Keystrokes come in editing sessions (one focus of one cell's editor): the first edit of
// a session decides what the session is — the update of an outdated translation (the mark is
// cleared) or a new change (the other language is marked) — and the rest of the session keeps
// that decision, so typing a translation never marks the original back.
import { otherLocale, type LessonBundle, type LessonLocale } from "./bundle";

export type OutdatedMarks = LessonBundle["outdated"];

export function isOutdated(marks: OutdatedMarks, locale: LessonLocale, cellId: string): boolean {
  return marks[locale].includes(cellId);
}

const without = (list: string[], id: string) => (list.includes(id) ? list.filter((x) => x !== id) : list);
const withId = (list: string[], id: string) => (list.includes(id) ? list : [...list, id]);

/**
 * The marks after an edit of `cellId` in `locale`. `continuing` is true for every edit after the
 * first of an editing session (those change nothing). Returns the same object when nothing changes.
 */
export function markEdited(marks: OutdatedMarks, cellId: string, locale: LessonLocale, continuing: boolean, bilingual = true): OutdatedMarks {
  if (continuing || !bilingual) return marks;
  const other = otherLocale(locale);
  if (marks[locale].includes(cellId)) return { ...marks, [locale]: without(marks[locale], cellId) } as OutdatedMarks;
  if (marks[other].includes(cellId)) return marks;
  return { ...marks, [other]: withId(marks[other], cellId) } as OutdatedMarks;
}

/** The author says the cell is translated as it stands. */
export function markUpToDate(marks: OutdatedMarks, cellId: string, locale: LessonLocale): OutdatedMarks {
  return marks[locale].includes(cellId) ? ({ ...marks, [locale]: without(marks[locale], cellId) } as OutdatedMarks) : marks;
}

/** Marks of cells that no longer exist are dropped. */
export function pruneMarks(marks: OutdatedMarks, cellIds: Iterable<string>): OutdatedMarks {
  const ids = new Set(cellIds);
  return { es: marks.es.filter((id) => ids.has(id)), en: marks.en.filter((id) => ids.has(id)) };
}
