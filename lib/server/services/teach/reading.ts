// The published version of an authored lesson as readers get it: the lesson page, a student's
// copy and the grading registry (lib/server/services/grading/lessons.ts) read it here. Nothing
// here imports grading, so grading may import it.
import type { GradingPolicy } from "@/lib/grading/grade-exercise";
import type { Locale } from "@/lib/i18n/routing";
import type { NotebookDocument } from "@/lib/notebook/types";
import type { ServiceContext } from "@/lib/server/services/context";
import { bundleLocales, type LessonBundle } from "@/lib/teach/bundle";
import { isAuthoredSlug, mayReadPublished } from "./access";

export interface PublishedLesson {
  slug: string;
  version: number;
  /** The language served: the one asked for, or the lesson's only language. */
  locale: Locale;
  /** True when the lesson is not written in the language asked for (the page says so). */
  otherLanguage: boolean;
  /** Hidden parts included: server only. */
  full: NotebookDocument;
  bundle: LessonBundle;
  policy: GradingPolicy;
  title: string;
  summary: string;
  minutes: number | null;
}

/** The bundle of a stored version (JSON written by the publishing service). */
export function parseStoredBundle(json: string): LessonBundle {
  return JSON.parse(json) as LessonBundle;
}

export function documentIn(bundle: LessonBundle, locale: Locale, slug: string): { doc: NotebookDocument; locale: Locale } {
  const served = bundle.docs[locale] ? locale : bundleLocales(bundle)[0]!;
  const doc = bundle.docs[served]!;
  const title = bundle.meta.title[served] ?? "";
  return { doc: { ...doc, metadata: { ...doc.metadata, title, locale: served, lessonSlug: slug, datasets: [...bundle.meta.datasets] } }, locale: served };
}

/**
 * The latest published version if the caller may read it; null when there is none or they may
 * not (the same answer, so a reader cannot tell an unpublished lesson from a missing one).
 */
export async function loadPublishedLesson(ctx: ServiceContext, slug: string, locale: Locale): Promise<PublishedLesson | null> {
  if (!isAuthoredSlug(slug)) return null;
  const lesson = await ctx.db.authoredLesson.findFirst({
    where: { slug, deletedAt: null, publishedVersion: { gt: 0 } },
    select: { id: true, slug: true, authorId: true, publishedVersion: true },
  });
  if (!lesson || !(await mayReadPublished(ctx, lesson))) return null;
  const row = await ctx.db.authoredLessonVersion.findUnique({
    where: { lessonId_version: { lessonId: lesson.id, version: lesson.publishedVersion } },
    select: { content: true },
  });
  if (!row) return null;
  const bundle = parseStoredBundle(row.content);
  const { doc, locale: served } = documentIn(bundle, locale, slug);
  return {
    slug,
    version: lesson.publishedVersion,
    locale: served,
    otherLanguage: served !== locale,
    full: doc,
    bundle,
    policy: { hintCost: bundle.meta.grading?.hintCost ?? 0, revealedCap: bundle.meta.grading?.revealedCap ?? 0 },
    title: bundle.meta.title[served] ?? "",
    summary: bundle.meta.summary[served] ?? "",
    minutes: bundle.meta.minutes ?? null,
  };
}
