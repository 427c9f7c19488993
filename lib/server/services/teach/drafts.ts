// The draft of an authored lesson (issue 15 points 2, 5, 8): read and saved by its editors only.
// Saves are optimistic like a student's notebook: the client names the revision it edited, and a
// save against an older one is a conflict that overwrites nothing. A copy of the draft is kept
// every few minutes (the last 50), besides the published versions.
import { DomainError } from "@/lib/server/errors";
import type { SignedInContext } from "@/lib/server/services/context";
import type { LessonBundle } from "@/lib/teach/bundle";
import { bundleToFolder } from "@/lib/teach/folder";
import { toFolderImages } from "@/lib/teach/images";
import { parseDraftBundleOrThrow } from "@/lib/teach/validate";
import { writeLessonZip } from "@/lib/teach/zip";
import { editableLessonOrThrow, type LessonRow } from "./access";
import { importRefusal } from "./library";
import { parseStoredBundle } from "./reading";

export const SNAPSHOT_INTERVAL_MS = 5 * 60 * 1000;
export const MAX_SNAPSHOTS = 50;

export interface DraftView {
  slug: string;
  revision: number;
  publishedVersion: number;
  mine: boolean;
  origin: string;
  bundle: LessonBundle;
  updatedAt: Date;
  files: { name: string; size: number; contentType: string }[];
}

export async function getDraft(ctx: SignedInContext, input: { slug: string }): Promise<DraftView> {
  const row = await editableLessonOrThrow(ctx, input.slug);
  const files = await ctx.db.lessonFile.findMany({ where: { lessonId: row.id }, select: { name: true, size: true, contentType: true }, orderBy: { name: "asc" } });
  return { slug: row.slug, revision: row.draftRevision, publishedVersion: row.publishedVersion, mine: row.authorId === ctx.user.id, origin: row.origin, bundle: parseStoredBundle(row.draft), updatedAt: row.updatedAt, files };
}

export type SaveDraftResult = { status: "saved"; revision: number } | { status: "conflict"; revision: number; bundle: LessonBundle };

type Tx = Parameters<Parameters<SignedInContext["db"]["$transaction"]>[0]>[0];

async function snapshot(tx: Tx, row: Pick<LessonRow, "id" | "draft" | "draftRevision">, label: string | null, force: boolean): Promise<void> {
  if (!force) {
    const last = await tx.lessonDraftSnapshot.findFirst({ where: { lessonId: row.id }, orderBy: { createdAt: "desc" }, select: { createdAt: true } });
    if (last && Date.now() - last.createdAt.getTime() < SNAPSHOT_INTERVAL_MS) return;
  }
  await tx.lessonDraftSnapshot.upsert({
    where: { lessonId_revision: { lessonId: row.id, revision: row.draftRevision } },
    create: { lessonId: row.id, revision: row.draftRevision, content: row.draft, label },
    update: {},
  });
  const old = await tx.lessonDraftSnapshot.findMany({ where: { lessonId: row.id }, orderBy: { revision: "desc" }, skip: MAX_SNAPSHOTS, select: { id: true } });
  if (old.length) await tx.lessonDraftSnapshot.deleteMany({ where: { id: { in: old.map((o) => o.id) } } });
}

export async function saveDraft(ctx: SignedInContext, input: { slug: string; baseRevision: number; bundle: unknown }): Promise<SaveDraftResult> {
  let bundle: LessonBundle;
  try {
    bundle = parseDraftBundleOrThrow(input.bundle);
  } catch (e) {
    importRefusal(e);
  }
  const json = JSON.stringify(bundle);
  const row = await editableLessonOrThrow(ctx, input.slug);
  if (row.draftRevision !== input.baseRevision) return { status: "conflict", revision: row.draftRevision, bundle: parseStoredBundle(row.draft) };
  if (row.draft === json) return { status: "saved", revision: row.draftRevision };
  return ctx.db.$transaction(async (tx) => {
    await snapshot(tx, row, null, false);
    // The revision in the WHERE makes the write conditional even when two editors save at once.
    const { count } = await tx.authoredLesson.updateMany({ where: { id: row.id, draftRevision: row.draftRevision }, data: { draft: json, draftRevision: row.draftRevision + 1 } });
    if (count === 0) {
      const now = await tx.authoredLesson.findUniqueOrThrow({ where: { id: row.id }, select: { draft: true, draftRevision: true } });
      return { status: "conflict", revision: now.draftRevision, bundle: parseStoredBundle(now.draft) };
    }
    return { status: "saved", revision: row.draftRevision + 1 };
  });
}

/** Replaces the draft (a restore), keeping the current one as a labelled snapshot first. */
export async function replaceDraft(ctx: SignedInContext, row: LessonRow, bundle: LessonBundle, label: string): Promise<number> {
  return ctx.db.$transaction(async (tx) => {
    await snapshot(tx, row, label, true);
    await tx.authoredLesson.update({ where: { id: row.id }, data: { draft: JSON.stringify(bundle), draftRevision: row.draftRevision + 1 } });
    return row.draftRevision + 1;
  });
}

/** The draft (or a published version) as a lesson folder zip: meta.json, es.md, en.md, images/. */
export async function exportZip(ctx: SignedInContext, input: { slug: string; version?: number }): Promise<{ filename: string; bytes: Uint8Array }> {
  const row = await editableLessonOrThrow(ctx, input.slug);
  let bundle = parseStoredBundle(row.draft);
  if (input.version !== undefined) {
    const v = await ctx.db.authoredLessonVersion.findUnique({ where: { lessonId_version: { lessonId: row.id, version: input.version } }, select: { content: true } });
    if (!v) throw new DomainError("notFound");
    bundle = parseStoredBundle(v.content);
  }
  const images = await ctx.db.lessonFile.findMany({ where: { lessonId: row.id }, select: { name: true, data: true }, orderBy: { name: "asc" } });
  const bytes = writeLessonZip(row.slug, { files: bundleToFolder(toFolderImages(bundle, row.slug), row.slug), images: images.map((i) => ({ name: i.name, data: new Uint8Array(i.data) })) });
  return { filename: `${row.slug}.zip`, bytes };
}
