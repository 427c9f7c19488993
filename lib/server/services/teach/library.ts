// An instructor's lesson library (issue 15 point 1): lessons they author or co-author, created
// from scratch, as a copy of a built-in lesson, from an uploaded .ipynb or a lesson folder zip.
// An import is checked whole before anything is written: a refused file leaves nothing behind.
import { listLessons, readLessonSource, lessonsDir } from "@/lib/content/lessons";
import { DomainError } from "@/lib/server/errors";
import type { SignedInContext } from "@/lib/server/services/context";
import type { LessonBundle, LessonLocale } from "@/lib/teach/bundle";
import { LessonImportError } from "@/lib/teach/errors";
import { bundleFromFolder } from "@/lib/teach/folder";
import { checkImageOrThrow, fromFolderImages } from "@/lib/teach/images";
import { bundleFromIpynb } from "@/lib/teach/ipynb-import";
import { readLessonZip } from "@/lib/teach/zip";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { editableLessonOrThrow, newAuthoredSlug } from "./access";
import { parseStoredBundle } from "./reading";
import { createHash } from "node:crypto";

/** A LessonImportError as the domain error routers map (translated by its key). */
export function importRefusal(e: unknown): never {
  if (e instanceof LessonImportError) throw new DomainError("invalidInput", e.message, { key: `teach.errors.${e.key}`, params: e.params });
  throw e;
}

function assertInstructor(ctx: SignedInContext): void {
  if (ctx.user.role !== "instructor") throw new DomainError("forbidden", "Only instructors author lessons");
}

export interface LibraryEntry {
  slug: string;
  title: Partial<Record<LessonLocale, string>>;
  languages: LessonLocale[];
  tags: string[];
  origin: string;
  mine: boolean;
  publishedVersion: number;
  updatedAt: Date;
}

export async function myLessons(ctx: SignedInContext): Promise<LibraryEntry[]> {
  const rows = await ctx.db.authoredLesson.findMany({
    where: { deletedAt: null, OR: [{ authorId: ctx.user.id }, { coauthors: { some: { userId: ctx.user.id } } }] },
    select: { slug: true, authorId: true, origin: true, draft: true, publishedVersion: true, updatedAt: true },
    orderBy: { updatedAt: "desc" },
  });
  return rows.map((r) => {
    const b = parseStoredBundle(r.draft);
    return {
      slug: r.slug,
      title: b.meta.title,
      languages: (["es", "en"] as const).filter((l) => b.docs[l]),
      tags: b.meta.tags,
      origin: r.origin,
      mine: r.authorId === ctx.user.id,
      publishedVersion: r.publishedVersion,
      updatedAt: r.updatedAt,
    };
  });
}

async function createFrom(ctx: SignedInContext, bundle: LessonBundle, origin: string, images: { name: string; data: Uint8Array }[] = []): Promise<{ slug: string }> {
  assertInstructor(ctx);
  const slug = newAuthoredSlug();
  // A folder's `images/<name>` become this lesson's served image paths.
  const draft = images.length ? fromFolderImages(bundle, slug) : bundle;
  await ctx.db.$transaction(async (tx) => {
    const lesson = await tx.authoredLesson.create({ data: { slug, authorId: ctx.user.id, origin, draft: JSON.stringify(draft) }, select: { id: true } });
    for (const img of images) {
      await tx.lessonFile.create({
        data: { lessonId: lesson.id, name: img.name, contentType: checkImageOrThrow(img.name, img.data), size: img.data.length, sha256: createHash("sha256").update(img.data).digest("hex"), data: Buffer.from(img.data) },
      });
    }
  });
  return { slug };
}

export async function createBlank(ctx: SignedInContext, input: { title: string; locale: LessonLocale }): Promise<{ slug: string }> {
  const title = input.title.trim();
  if (!title) throw new DomainError("invalidInput", "The lesson needs a title", { key: "teach.errors.noTitle" });
  const bundle: LessonBundle = {
    meta: { title: { [input.locale]: title }, summary: { [input.locale]: "" }, datasets: [], tags: [] },
    docs: { [input.locale]: { format: 1, metadata: { title, locale: input.locale }, cells: [{ id: "intro", kind: "markdown", source: `# ${title}` }] } },
    outdated: { es: [], en: [] },
  };
  return createFrom(ctx, bundle, "new");
}

/** A copy of a built-in lesson, both languages, hidden tests included (an instructor may read them). */
export async function copyBuiltin(ctx: SignedInContext, input: { builtinSlug: string }): Promise<{ slug: string }> {
  assertInstructor(ctx);
  const meta = listLessons().find((l) => l.slug === input.builtinSlug);
  if (!meta) throw new DomainError("notFound", `There is no lesson "${input.builtinSlug}"`);
  const files: Record<string, string> = { "meta.json": readFileSync(join(lessonsDir, meta.slug, "meta.json"), "utf8") };
  for (const l of ["es", "en"] as const) {
    const source = readLessonSource(meta.slug, l);
    if (source !== null) files[`${l}.md`] = source;
  }
  let bundle: LessonBundle;
  try {
    bundle = bundleFromFolder(files);
  } catch (e) {
    importRefusal(e);
  }
  return createFrom(ctx, bundle, `builtin:${meta.slug}`);
}

export async function importIpynb(ctx: SignedInContext, input: { text: string; locale: LessonLocale }): Promise<{ slug: string }> {
  assertInstructor(ctx);
  let bundle: LessonBundle;
  try {
    bundle = bundleFromIpynb(input.text, input.locale);
  } catch (e) {
    importRefusal(e);
  }
  return createFrom(ctx, bundle, "ipynb");
}

export async function importZip(ctx: SignedInContext, input: { bytes: Uint8Array }): Promise<{ slug: string }> {
  assertInstructor(ctx);
  let bundle: LessonBundle;
  let images: { name: string; data: Uint8Array }[];
  try {
    const archive = readLessonZip(input.bytes);
    bundle = bundleFromFolder(archive.files);
    images = archive.images;
    for (const img of images) checkImageOrThrow(img.name, img.data);
  } catch (e) {
    importRefusal(e);
  }
  return createFrom(ctx, bundle, "zip", images);
}

/** Moves the lesson out of the library (the author only); assignments end with it. */
export async function removeLesson(ctx: SignedInContext, input: { slug: string }): Promise<void> {
  const row = await editableLessonOrThrow(ctx, input.slug);
  if (row.authorId !== ctx.user.id) throw new DomainError("forbidden", "Only the author deletes a lesson");
  await ctx.db.$transaction([
    ctx.db.authoredLesson.update({ where: { id: row.id }, data: { deletedAt: new Date() } }),
    ctx.db.lessonAssignment.deleteMany({ where: { lessonSlug: row.slug } }),
  ]);
}

export async function coauthors(ctx: SignedInContext, input: { slug: string }) {
  const row = await editableLessonOrThrow(ctx, input.slug);
  const rows = await ctx.db.lessonCoauthor.findMany({ where: { lessonId: row.id }, select: { user: { select: { id: true, name: true, email: true } } }, orderBy: { addedAt: "asc" } });
  return rows.map((r) => r.user);
}

/** The author invites another instructor (by e-mail) to edit the lesson. */
export async function inviteCoauthor(ctx: SignedInContext, input: { slug: string; email: string }): Promise<void> {
  const row = await editableLessonOrThrow(ctx, input.slug);
  if (row.authorId !== ctx.user.id) throw new DomainError("forbidden", "Only the author invites co-authors");
  const user = await ctx.db.user.findUnique({ where: { email: input.email.trim().toLowerCase() }, select: { id: true, role: true } });
  if (!user || user.role !== "instructor") throw new DomainError("invalidInput", "No instructor has that e-mail", { key: "teach.errors.noSuchInstructor" });
  if (user.id === ctx.user.id) return;
  await ctx.db.lessonCoauthor.upsert({ where: { lessonId_userId: { lessonId: row.id, userId: user.id } }, create: { lessonId: row.id, userId: user.id }, update: {} });
}

export async function removeCoauthor(ctx: SignedInContext, input: { slug: string; userId: string }): Promise<void> {
  const row = await editableLessonOrThrow(ctx, input.slug);
  if (row.authorId !== ctx.user.id && input.userId !== ctx.user.id) throw new DomainError("forbidden", "Only the author removes co-authors");
  await ctx.db.lessonCoauthor.deleteMany({ where: { lessonId: row.id, userId: input.userId } });
}
