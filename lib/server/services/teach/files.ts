// Images stored with an authored lesson (issue 15 point 2): uploaded by its editors (checked by
// their bytes, ≤ 2 MB, at most 40), served to whoever may read the lesson — its editors, and the
// readers of its published version.
import { createHash } from "node:crypto";
import { DomainError } from "@/lib/server/errors";
import type { ServiceContext, SignedInContext } from "@/lib/server/services/context";
import { checkImageOrThrow, imagePath } from "@/lib/teach/images";
import { MAX_IMAGES } from "@/lib/teach/zip";
import { editableLessonOrThrow, isAuthoredSlug, mayReadPublished } from "./access";
import { importRefusal } from "./library";

export async function uploadImage(ctx: SignedInContext, input: { slug: string; name: string; bytes: Uint8Array }): Promise<{ name: string; path: string; size: number }> {
  const row = await editableLessonOrThrow(ctx, input.slug);
  let contentType: string;
  try {
    contentType = checkImageOrThrow(input.name, input.bytes);
  } catch (e) {
    importRefusal(e);
  }
  const count = await ctx.db.lessonFile.count({ where: { lessonId: row.id, NOT: { name: input.name } } });
  if (count >= MAX_IMAGES) throw new DomainError("invalidInput", `A lesson holds at most ${MAX_IMAGES} images`);
  const data = { contentType, size: input.bytes.length, sha256: createHash("sha256").update(input.bytes).digest("hex"), data: Buffer.from(input.bytes) };
  await ctx.db.lessonFile.upsert({ where: { lessonId_name: { lessonId: row.id, name: input.name } }, create: { lessonId: row.id, name: input.name, ...data }, update: data });
  return { name: input.name, path: imagePath(row.slug, input.name), size: input.bytes.length };
}

export async function removeImage(ctx: SignedInContext, input: { slug: string; name: string }): Promise<void> {
  const row = await editableLessonOrThrow(ctx, input.slug);
  await ctx.db.lessonFile.deleteMany({ where: { lessonId: row.id, name: input.name } });
}

/** An image of the lesson for someone who may read it (an editor, or a reader of its published version); null otherwise. */
export async function lessonImage(ctx: ServiceContext, input: { slug: string; name: string }): Promise<{ contentType: string; sha256: string; data: Uint8Array } | null> {
  if (!ctx.user || !isAuthoredSlug(input.slug)) return null;
  const lesson = await ctx.db.authoredLesson.findFirst({ where: { slug: input.slug, deletedAt: null }, select: { id: true, slug: true, authorId: true, publishedVersion: true } });
  if (!lesson) return null;
  const editor = lesson.authorId === ctx.user.id || (await ctx.db.lessonCoauthor.findUnique({ where: { lessonId_userId: { lessonId: lesson.id, userId: ctx.user.id } }, select: { userId: true } })) !== null;
  if (!editor && (lesson.publishedVersion === 0 || !(await mayReadPublished(ctx, lesson)))) return null;
  const file = await ctx.db.lessonFile.findUnique({ where: { lessonId_name: { lessonId: lesson.id, name: input.name } }, select: { contentType: true, sha256: true, data: true } });
  return file ? { contentType: file.contentType, sha256: file.sha256, data: new Uint8Array(file.data) } : null;
}
