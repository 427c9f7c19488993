// Instructors' own CSV datasets (issue 15 point 7): uploaded whole-or-nothing (checked by
// lib/teach/dataset-csv.ts first), listed and previewed by their owner, and served to whoever may
// read a published lesson of the owner that lists the dataset (its students, once assigned).
import { createHash } from "node:crypto";
import { listDatasets } from "@/lib/datasets/catalog";
import { DomainError } from "@/lib/server/errors";
import type { ServiceContext, SignedInContext } from "@/lib/server/services/context";
import { inspectCsv, type CsvSummary } from "@/lib/teach/dataset-csv";
import { LessonImportError } from "@/lib/teach/errors";
import { DATASET_NAME_RE } from "@/lib/teach/folder";
import { mayReadPublished } from "./access";
import { importRefusal } from "./library";
import { parseStoredBundle } from "./reading";

export const MAX_DATASETS_PER_OWNER = 50;

export interface DatasetView {
  name: string;
  origin: string;
  licence: string;
  columns: CsvSummary["columns"];
  rowCount: number;
  size: number;
  createdAt: Date;
}

const viewSelect = { name: true, origin: true, licence: true, columns: true, rowCount: true, size: true, createdAt: true } as const;
const toView = (r: { name: string; origin: string; licence: string; columns: string; rowCount: number; size: number; createdAt: Date }): DatasetView => ({ ...r, columns: JSON.parse(r.columns) as CsvSummary["columns"] });

export async function uploadDataset(ctx: SignedInContext, input: { name: string; origin: string; licence: string; bytes: Uint8Array }): Promise<DatasetView & { preview: CsvSummary["preview"] }> {
  if (ctx.user.role !== "instructor") throw new DomainError("forbidden", "Only instructors upload datasets");
  const name = input.name.trim();
  if (!DATASET_NAME_RE.test(name) || listDatasets().some((d) => d.name === name)) {
    importRefusal(new LessonImportError("datasetName", `"${name}" must be kebab-case and not a course dataset's name`, { name }));
  }
  let summary: CsvSummary;
  try {
    summary = inspectCsv(input.bytes);
  } catch (e) {
    importRefusal(e);
  }
  const count = await ctx.db.teachDataset.count({ where: { ownerId: ctx.user.id } });
  if (count >= MAX_DATASETS_PER_OWNER) throw new DomainError("invalidInput", `At most ${MAX_DATASETS_PER_OWNER} datasets`);
  const taken = await ctx.db.teachDataset.findUnique({ where: { ownerId_name: { ownerId: ctx.user.id, name } }, select: { id: true } });
  if (taken) throw new DomainError("conflict", "You already have a dataset with that name", { key: "teach.errors.datasetTaken" });
  const row = await ctx.db.teachDataset.create({
    data: {
      ownerId: ctx.user.id,
      name,
      origin: input.origin.trim().slice(0, 500),
      licence: input.licence.trim().slice(0, 200),
      columns: JSON.stringify(summary.columns),
      rowCount: summary.rowCount,
      size: input.bytes.length,
      sha256: createHash("sha256").update(input.bytes).digest("hex"),
      csv: Buffer.from(input.bytes),
    },
    select: viewSelect,
  });
  return { ...toView(row), preview: summary.preview };
}

export async function myDatasets(ctx: SignedInContext): Promise<DatasetView[]> {
  const rows = await ctx.db.teachDataset.findMany({ where: { ownerId: ctx.user.id }, select: viewSelect, orderBy: { name: "asc" } });
  return rows.map(toView);
}

export async function previewDataset(ctx: SignedInContext, input: { name: string }): Promise<DatasetView & { preview: CsvSummary["preview"] }> {
  const row = await ctx.db.teachDataset.findUnique({ where: { ownerId_name: { ownerId: ctx.user.id, name: input.name } }, select: { ...viewSelect, csv: true } });
  if (!row) throw new DomainError("notFound");
  const { csv, ...rest } = row;
  return { ...toView(rest), preview: inspectCsv(new Uint8Array(csv)).preview };
}

export async function removeDataset(ctx: SignedInContext, input: { name: string }): Promise<void> {
  const { count } = await ctx.db.teachDataset.deleteMany({ where: { ownerId: ctx.user.id, name: input.name } });
  if (count === 0) throw new DomainError("notFound");
}

/**
 * The CSV behind `data.load(name)` in a lesson: the lesson's author's dataset of that name, for
 * the author, or for a reader of the lesson's published version when that version lists it.
 */
export async function datasetForLesson(ctx: ServiceContext, input: { lessonSlug: string; name: string }): Promise<{ csv: Uint8Array; sha256: string } | null> {
  if (!ctx.user || !DATASET_NAME_RE.test(input.name)) return null;
  const lesson = await ctx.db.authoredLesson.findFirst({ where: { slug: input.lessonSlug, deletedAt: null }, select: { id: true, slug: true, authorId: true, publishedVersion: true } });
  if (!lesson) return null;
  const isEditor = lesson.authorId === ctx.user.id || (await ctx.db.lessonCoauthor.findUnique({ where: { lessonId_userId: { lessonId: lesson.id, userId: ctx.user.id } }, select: { userId: true } })) !== null;
  if (!isEditor) {
    if (lesson.publishedVersion === 0 || !(await mayReadPublished(ctx, lesson))) return null;
    const v = await ctx.db.authoredLessonVersion.findUnique({ where: { lessonId_version: { lessonId: lesson.id, version: lesson.publishedVersion } }, select: { content: true } });
    if (!v || !parseStoredBundle(v.content).meta.datasets.includes(input.name)) return null;
  }
  const row = await ctx.db.teachDataset.findUnique({ where: { ownerId_name: { ownerId: lesson.authorId, name: input.name } }, select: { csv: true, sha256: true } });
  return row ? { csv: new Uint8Array(row.csv), sha256: row.sha256 } : null;
}
