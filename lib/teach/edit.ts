// Author-mode edits of a bundle: cells are added, moved and deleted in every language at once
// (the languages keep the same cells); text is edited per language, with the translation marks
// following (translation.ts). Every operation returns a new bundle and leaves its input alone,
// so the editor keeps undo history by reference.
import { deleteCell, insertCellAfter, moveCell, updateCell } from "@/lib/notebook/document";
import { CellId, type Cell, type NotebookDocument } from "@/lib/notebook/types";
import { bundleLocales, LESSON_LOCALES, type LessonBundle, type LessonLocale } from "./bundle";
import { markEdited, pruneMarks } from "./translation";

export type NewCellKind = Cell["kind"];

/** A new cell's id: "c-" + 12 hex characters (kebab-case, as lesson files need). */
export function newLessonCellId(taken: (id: string) => boolean): CellId {
  for (;;) {
    const id = CellId.create();
    if (!taken(id)) return id;
  }
}

export function emptyCell(kind: NewCellKind, id: CellId): Cell {
  switch (kind) {
    case "markdown":
      return { id, kind, source: "" };
    case "code":
    case "sql":
      return { id, kind, source: "", outputs: [], executionCount: null };
    case "exercise":
      return { id, kind, source: "", starter: "", check: "", hints: [], solution: "", outputs: [], executionCount: null };
    case "quiz":
      return { id, kind, source: "", questions: [{ prompt: "", options: [{ text: "", correct: true }, { text: "", correct: false }] }] };
  }
}

function mapDocs(bundle: LessonBundle, f: (doc: NotebookDocument, locale: LessonLocale) => NotebookDocument): LessonBundle["docs"] {
  const docs: LessonBundle["docs"] = {};
  for (const l of bundleLocales(bundle)) docs[l] = f(bundle.docs[l]!, l);
  return docs;
}

function anyDoc(bundle: LessonBundle): NotebookDocument {
  return (bundle.docs.es ?? bundle.docs.en)!;
}

/** Adds an empty cell of `kind` after `afterId` (first when null) in every language; returns it and its id. */
export function addCell(bundle: LessonBundle, kind: NewCellKind, afterId: string | null): { bundle: LessonBundle; id: CellId } {
  const ids = new Set(anyDoc(bundle).cells.map((c) => c.id as string));
  const id = newLessonCellId((x) => ids.has(x));
  return { bundle: { ...bundle, docs: mapDocs(bundle, (doc) => insertCellAfter(doc, emptyCell(kind, id), afterId)) }, id };
}

export function moveLessonCell(bundle: LessonBundle, id: string, toIndex: number): LessonBundle {
  return { ...bundle, docs: mapDocs(bundle, (doc) => moveCell(doc, id, toIndex)) };
}

export function deleteLessonCell(bundle: LessonBundle, id: string): LessonBundle {
  const docs = mapDocs(bundle, (doc) => deleteCell(doc, id));
  return { ...bundle, docs, outdated: pruneMarks(bundle.outdated, anyDoc({ ...bundle, docs }).cells.map((c) => c.id)) };
}

/**
 * Edits a cell's text in one language. `continuing` is true for every edit after the first of one
 * editing session of that cell (see translation.ts).
 */
export function editLessonCell<C extends Cell>(
  bundle: LessonBundle,
  locale: LessonLocale,
  id: string,
  patch: Partial<Omit<C, "id" | "kind">>,
  continuing: boolean,
): LessonBundle {
  const doc = bundle.docs[locale];
  if (!doc) throw new RangeError(`the lesson has no ${locale} version`);
  let next = updateCell<C>(doc, id, patch);
  // An exercise's student code starts as its starter.
  const cell = next.cells.find((c) => c.id === id);
  if (cell?.kind === "exercise" && "starter" in patch) next = updateCell(next, id, { source: cell.starter });
  return {
    ...bundle,
    docs: { ...bundle.docs, [locale]: next },
    outdated: markEdited(bundle.outdated, id, locale, continuing, bundleLocales(bundle).length === 2),
  };
}

/** Adds a language as a copy of the other one, every cell marked outdated until it is translated. */
export function addLanguage(bundle: LessonBundle, locale: LessonLocale): LessonBundle {
  if (bundle.docs[locale]) return bundle;
  const from = anyDoc(bundle);
  return {
    ...bundle,
    docs: { ...bundle.docs, [locale]: { ...from, metadata: { ...from.metadata, locale } } },
    meta: { ...bundle.meta, title: { ...bundle.meta.title, [locale]: bundle.meta.title[locale] ?? Object.values(bundle.meta.title)[0] ?? "" }, summary: { ...bundle.meta.summary, [locale]: bundle.meta.summary[locale] ?? Object.values(bundle.meta.summary)[0] ?? "" } },
    outdated: { ...bundle.outdated, [locale]: from.cells.map((c) => c.id as string) },
  };
}

/** Removes a language (the lesson is then published in the other one only). */
export function removeLanguage(bundle: LessonBundle, locale: LessonLocale): LessonBundle {
  const keep = LESSON_LOCALES.filter((l) => l !== locale && bundle.docs[l]);
  if (keep.length === 0) throw new RangeError("a lesson keeps at least one language");
  const docs: LessonBundle["docs"] = { [keep[0]]: bundle.docs[keep[0]] };
  const { [locale]: _t, ...title } = bundle.meta.title;
  const { [locale]: _s, ...summary } = bundle.meta.summary;
  return { ...bundle, docs, meta: { ...bundle.meta, title, summary }, outdated: { es: [], en: [] } };
}
