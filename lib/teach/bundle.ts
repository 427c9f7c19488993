// An authored lesson as one value (issue 15): its meta, one notebook document per language and
// the "translation outdated" marks. Both languages hold the same cells (same ids, same order,
// same kinds); only their text differs. This is what the draft and every published version store.
import type { LessonMeta } from "@/lib/content/lessons";
import type { NotebookDocument } from "@/lib/notebook/types";

export const LESSON_LOCALES = ["es", "en"] as const;
export type LessonLocale = (typeof LESSON_LOCALES)[number];

export interface LessonBundleMeta {
  title: Partial<Record<LessonLocale, string>>;
  summary: Partial<Record<LessonLocale, string>>;
  minutes?: number;
  datasets: string[];
  tags: string[];
  grading?: { hintCost?: number; revealedCap?: number };
}

export interface LessonBundle {
  meta: LessonBundleMeta;
  /** At least one language; when both are present they hold the same cell ids in the same order. */
  docs: Partial<Record<LessonLocale, NotebookDocument>>;
  /** Per language: the cells whose text is behind the other language's latest edit. */
  outdated: Record<LessonLocale, string[]>;
}

export const otherLocale = (l: LessonLocale): LessonLocale => (l === "es" ? "en" : "es");

/** The languages a bundle has a document for, Spanish first. */
export function bundleLocales(bundle: LessonBundle): LessonLocale[] {
  return LESSON_LOCALES.filter((l) => bundle.docs[l] !== undefined);
}

/** A bundle's meta as the built-in course's meta.json shape (course order and slug given). */
export function toCourseMeta(bundle: LessonBundle, slug: string, order: number): LessonMeta & { tags?: string[] } {
  const pick = (r: Partial<Record<LessonLocale, string>>) => ({ es: r.es ?? r.en ?? "", en: r.en ?? r.es ?? "" });
  return {
    slug,
    order,
    title: pick(bundle.meta.title),
    summary: pick(bundle.meta.summary),
    ...(bundle.meta.minutes !== undefined ? { minutes: bundle.meta.minutes } : {}),
    datasets: [...bundle.meta.datasets],
    ...(bundle.meta.grading ? { grading: { ...bundle.meta.grading } } : {}),
    ...(bundle.meta.tags.length ? { tags: [...bundle.meta.tags] } : {}),
  };
}
