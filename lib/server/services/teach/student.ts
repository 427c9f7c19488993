// A reader's side of an authored lesson: the public document for the lesson page and, when a newer
// version is out than the one the student's copy started from, both versions' public documents
// so the page can offer "lesson updated" (lib/teach/update-merge.ts). Hidden parts never leave here.
import type { Locale } from "@/lib/i18n/routing";
import { publicLessonDocument } from "@/lib/notebook/hidden";
import type { NotebookDocument } from "@/lib/notebook/types";
import { DomainError } from "@/lib/server/errors";
import type { ServiceContext, SignedInContext } from "@/lib/server/services/context";
import { documentIn, loadPublishedLesson, parseStoredBundle } from "./reading";

export interface ReaderLesson {
  slug: string;
  version: number;
  locale: Locale;
  otherLanguage: boolean;
  title: string;
  summary: string;
  minutes: number | null;
  doc: NotebookDocument;
}

/** The lesson page's document (public), or null when the caller may not read it. */
export async function readerLesson(ctx: ServiceContext, slug: string, locale: Locale): Promise<ReaderLesson | null> {
  const p = await loadPublishedLesson(ctx, slug, locale);
  if (!p) return null;
  return { slug, version: p.version, locale: p.locale, otherLanguage: p.otherLanguage, title: p.title, summary: p.summary, minutes: p.minutes, doc: publicLessonDocument(p.full) };
}

export type LessonUpdate = { version: number; baseVersion: number; base: NotebookDocument; next: NotebookDocument } | null;

/**
 * The student's copy's base version; the first call records the current version as the base.
 * Returns the update to offer when the base is older than the current version.
 */
export async function pendingUpdate(ctx: SignedInContext, input: { slug: string; locale: Locale }): Promise<LessonUpdate> {
  const p = await loadPublishedLesson(ctx, input.slug, input.locale);
  if (!p) throw new DomainError("notFound");
  const key = { userId_lessonSlug_locale: { userId: ctx.user.id, lessonSlug: input.slug, locale: p.locale } };
  const base = await ctx.db.lessonCopyBase.findUnique({ where: key, select: { version: true } });
  if (!base) {
    await ctx.db.lessonCopyBase.create({ data: { userId: ctx.user.id, lessonSlug: input.slug, locale: p.locale, version: p.version } });
    return null;
  }
  if (base.version >= p.version) return null;
  const lesson = await ctx.db.authoredLesson.findUniqueOrThrow({ where: { slug: input.slug }, select: { id: true } });
  const v = await ctx.db.authoredLessonVersion.findUnique({ where: { lessonId_version: { lessonId: lesson.id, version: base.version } }, select: { content: true } });
  if (!v) return null;
  const older = documentIn(parseStoredBundle(v.content), p.locale, input.slug).doc;
  return { version: p.version, baseVersion: base.version, base: publicLessonDocument(older), next: publicLessonDocument(p.full) };
}

/** The student took the update (their merged copy is saved): their copy now stands on `version`. */
export async function acceptUpdate(ctx: SignedInContext, input: { slug: string; locale: Locale; version: number }): Promise<void> {
  const p = await loadPublishedLesson(ctx, input.slug, input.locale);
  if (!p) throw new DomainError("notFound");
  if (input.version > p.version || input.version < 1) throw new DomainError("invalidInput", "No such version");
  await ctx.db.lessonCopyBase.upsert({
    where: { userId_lessonSlug_locale: { userId: ctx.user.id, lessonSlug: input.slug, locale: p.locale } },
    create: { userId: ctx.user.id, lessonSlug: input.slug, locale: p.locale, version: input.version },
    update: { version: input.version },
  });
}
