// Published versions of an authored lesson (issue 15 point 5): listed, compared with the draft
// cell by cell, and restored into the draft (the draft is kept as a snapshot first).
import { DomainError } from "@/lib/server/errors";
import type { SignedInContext } from "@/lib/server/services/context";
import { bundleLocales, type LessonLocale } from "@/lib/teach/bundle";
import { diffCells, type CellChange } from "@/lib/teach/diff";
import { editableLessonOrThrow } from "./access";
import { replaceDraft } from "./drafts";
import { parseStoredBundle } from "./reading";

export async function listVersions(ctx: SignedInContext, input: { slug: string }) {
  const row = await editableLessonOrThrow(ctx, input.slug);
  const rows = await ctx.db.authoredLessonVersion.findMany({ where: { lessonId: row.id }, select: { version: true, createdAt: true, publishedById: true }, orderBy: { version: "desc" } });
  const names = new Map((await ctx.db.user.findMany({ where: { id: { in: [...new Set(rows.map((r) => r.publishedById))] } }, select: { id: true, name: true } })).map((u) => [u.id, u.name]));
  return rows.map((r) => ({ version: r.version, createdAt: r.createdAt, publishedBy: names.get(r.publishedById) ?? "" }));
}

async function versionBundle(ctx: SignedInContext, lessonId: string, version: number) {
  const v = await ctx.db.authoredLessonVersion.findUnique({ where: { lessonId_version: { lessonId, version } }, select: { content: true } });
  if (!v) throw new DomainError("notFound");
  return parseStoredBundle(v.content);
}

/** The cell diff from a published version to the draft, in one language. */
export async function compareWithDraft(ctx: SignedInContext, input: { slug: string; version: number; locale: LessonLocale }): Promise<{ changes: CellChange[]; locale: LessonLocale }> {
  const row = await editableLessonOrThrow(ctx, input.slug);
  const older = await versionBundle(ctx, row.id, input.version);
  const draft = parseStoredBundle(row.draft);
  const locale = older.docs[input.locale] && draft.docs[input.locale] ? input.locale : bundleLocales(draft).find((l) => older.docs[l]);
  if (!locale) return { changes: [], locale: input.locale };
  return { changes: diffCells(older.docs[locale]!, draft.docs[locale]!), locale };
}

export async function restoreVersion(ctx: SignedInContext, input: { slug: string; version: number }): Promise<{ revision: number }> {
  const row = await editableLessonOrThrow(ctx, input.slug);
  const bundle = await versionBundle(ctx, row.id, input.version);
  return { revision: await replaceDraft(ctx, row, bundle, `before-restore-v${input.version}`) };
}
