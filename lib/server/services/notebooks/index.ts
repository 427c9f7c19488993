// A signed-in user's notebooks: free "scratch" notebooks and their own copy of each lesson.
// Saves are optimistic: the client says which revision it edited; a save against an older
// revision is a conflict, and the client's content is kept as a version, never dropped.
import { publicLessonDocument } from "@/lib/notebook/hidden";
import { parseNotebookOrThrow, serializeNotebook } from "@/lib/notebook/schema";
import type { NotebookDocument } from "@/lib/notebook/types";
import { DomainError } from "@/lib/server/errors";
import { valueDepth } from "@/lib/server/json-limits";
import type { SignedInContext } from "@/lib/server/services/context";

export const MAX_NOTEBOOK_BYTES = 4 * 1024 * 1024;
/** Nesting of a document (cell metadata and output data included): zod and JSON.stringify recurse. */
export const MAX_NOTEBOOK_DEPTH = 60;
/** An automatic version is kept when the last one is older than this. */
export const AUTO_VERSION_INTERVAL_MS = 5 * 60 * 1000;
export const MAX_AUTO_VERSIONS = 50;

export type NotebookKey = { kind: "scratch"; id: string } | { kind: "lesson"; slug: string; locale: "es" | "en" };

export interface NotebookRecord {
  id: string;
  kind: "scratch" | "lesson";
  lessonSlug: string | null;
  locale: string | null;
  title: string;
  revision: number;
  updatedAt: Date;
  content: NotebookDocument;
}

export type SaveResult =
  | { status: "saved"; revision: number; updatedAt: Date }
  | { status: "conflict"; keptAsVersion: number; current: NotebookRecord };

const recordSelect = {
  id: true,
  kind: true,
  lessonSlug: true,
  locale: true,
  title: true,
  revision: true,
  updatedAt: true,
  content: true,
} as const;

type Row = { id: string; kind: string; lessonSlug: string | null; locale: string | null; title: string; revision: number; updatedAt: Date; content: string };

function toRecord(row: Row): NotebookRecord {
  const content = parseNotebookOrThrow(JSON.parse(row.content));
  // A lesson copy saved before hints and solutions became server-side may still hold them.
  return row.kind === "lesson" ? { ...row, kind: "lesson", content: publicLessonDocument(content) } : { ...row, kind: "scratch", content };
}

/** Validates and serializes a document, enforcing the size limit. */
export function serializeChecked(content: unknown): { doc: NotebookDocument; json: string } {
  if (valueDepth(content, MAX_NOTEBOOK_DEPTH) > MAX_NOTEBOOK_DEPTH)
    throw new DomainError("invalidInput", `Notebook is nested deeper than ${MAX_NOTEBOOK_DEPTH} levels (cell metadata or outputs)`);
  let doc: NotebookDocument;
  try {
    doc = parseNotebookOrThrow(content);
  } catch (e) {
    throw new DomainError("invalidInput", e instanceof Error ? e.message : "Invalid notebook");
  }
  const json = serializeNotebook(doc);
  if (Buffer.byteLength(json) > MAX_NOTEBOOK_BYTES) throw new DomainError("invalidInput", "Notebook is too large");
  return { doc, json };
}

async function findOwnedOrThrow(ctx: SignedInContext, id: string): Promise<Row> {
  const row = await ctx.db.notebook.findFirst({ where: { id, ownerId: ctx.user.id, deletedAt: null }, select: recordSelect });
  if (!row) throw new DomainError("notFound");
  return row;
}

async function findByKey(ctx: SignedInContext, key: NotebookKey): Promise<Row | null> {
  return key.kind === "scratch"
    ? ctx.db.notebook.findFirst({ where: { id: key.id, ownerId: ctx.user.id, deletedAt: null }, select: recordSelect })
    : ctx.db.notebook.findFirst({
        where: { ownerId: ctx.user.id, kind: "lesson", lessonSlug: key.slug, locale: key.locale, deletedAt: null },
        select: recordSelect,
      });
}

export async function listScratch(ctx: SignedInContext) {
  return ctx.db.notebook.findMany({
    where: { ownerId: ctx.user.id, kind: "scratch", deletedAt: null },
    select: { id: true, title: true, revision: true, updatedAt: true, createdAt: true },
    orderBy: { updatedAt: "desc" },
  });
}

export async function createScratch(ctx: SignedInContext, input: { title: string; content: unknown }): Promise<NotebookRecord> {
  const { json } = serializeChecked(input.content);
  const row = await ctx.db.notebook.create({
    data: { ownerId: ctx.user.id, kind: "scratch", title: input.title.trim(), content: json, revision: 1 },
    select: recordSelect,
  });
  return toRecord(row);
}

export async function get(ctx: SignedInContext, key: NotebookKey): Promise<NotebookRecord | null> {
  const row = await findByKey(ctx, key);
  if (!row && key.kind === "scratch") throw new DomainError("notFound");
  return row ? toRecord(row) : null;
}

export async function rename(ctx: SignedInContext, input: { id: string; title: string }): Promise<void> {
  await findOwnedOrThrow(ctx, input.id);
  await ctx.db.notebook.update({ where: { id: input.id }, data: { title: input.title.trim() } });
}

/** Moves a scratch notebook to the bin (kept, restorable). */
export async function remove(ctx: SignedInContext, id: string): Promise<void> {
  const row = await findOwnedOrThrow(ctx, id);
  if (row.kind !== "scratch") throw new DomainError("forbidden");
  await ctx.db.notebook.update({ where: { id }, data: { deletedAt: new Date() } });
}

export async function restoreDeleted(ctx: SignedInContext, id: string): Promise<void> {
  const { count } = await ctx.db.notebook.updateMany({ where: { id, ownerId: ctx.user.id, deletedAt: { not: null } }, data: { deletedAt: null } });
  if (count === 0) throw new DomainError("notFound");
}

/**
 * Saves a new revision. `baseRevision` is the revision the client edited (0 for a lesson copy
 * that does not exist on the server yet). On a mismatch nothing is overwritten: the client's
 * content becomes a version labelled as a conflict and the current server copy is returned.
 */
export async function save(
  ctx: SignedInContext,
  input: { key: NotebookKey; baseRevision: number; content: unknown; title?: string; device?: string },
): Promise<SaveResult> {
  const { doc, json } = serializeChecked(input.content);
  return ctx.db.$transaction(async (tx) => {
    const txCtx = { ...ctx, db: tx as unknown as SignedInContext["db"] };
    const row = await findByKey(txCtx, input.key);
    if (!row) {
      if (input.key.kind === "scratch") throw new DomainError("notFound");
      if (input.baseRevision !== 0) throw new DomainError("notFound");
      const created = await tx.notebook.create({
        data: {
          ownerId: ctx.user.id,
          kind: "lesson",
          lessonSlug: input.key.slug,
          locale: input.key.locale,
          title: input.title ?? doc.metadata.title,
          content: json,
          revision: 1,
        },
        select: { revision: true, updatedAt: true },
      });
      return { status: "saved", ...created };
    }
    if (row.revision !== input.baseRevision) {
      const keptAsVersion = await keepVersion(tx, row.id, json, `conflict${input.device ? `:${input.device}` : ""}`);
      return { status: "conflict", keptAsVersion, current: toRecord(row) };
    }
    if (row.content === json) return { status: "saved", revision: row.revision, updatedAt: row.updatedAt };
    await maybeAutoVersion(tx, row);
    // The revision check in the WHERE makes the write conditional even under concurrency.
    const { count } = await tx.notebook.updateMany({
      where: { id: row.id, revision: row.revision },
      data: { content: json, revision: row.revision + 1, ...(input.title ? { title: input.title } : {}) },
    });
    if (count === 0) {
      const current = await tx.notebook.findUniqueOrThrow({ where: { id: row.id }, select: recordSelect });
      const keptAsVersion = await keepVersion(tx, row.id, json, "conflict");
      return { status: "conflict", keptAsVersion, current: toRecord(current) };
    }
    const saved = await tx.notebook.findUniqueOrThrow({ where: { id: row.id }, select: { revision: true, updatedAt: true } });
    return { status: "saved", ...saved };
  });
}

type Tx = Parameters<Parameters<SignedInContext["db"]["$transaction"]>[0]>[0];

/** Stores content as a version, numbered after every earlier version and revision. */
async function keepVersion(tx: Tx, notebookId: string, content: string, label: string | null): Promise<number> {
  const last = await tx.notebookVersion.findFirst({ where: { notebookId }, orderBy: { revision: "desc" }, select: { revision: true } });
  const nb = await tx.notebook.findUniqueOrThrow({ where: { id: notebookId }, select: { revision: true } });
  const revision = Math.max(last?.revision ?? 0, nb.revision) + 1;
  await tx.notebookVersion.create({ data: { notebookId, revision, content, label } });
  return revision;
}

async function maybeAutoVersion(tx: Tx, row: Row): Promise<void> {
  const last = await tx.notebookVersion.findFirst({ where: { notebookId: row.id, label: null }, orderBy: { createdAt: "desc" }, select: { createdAt: true } });
  if (last && Date.now() - last.createdAt.getTime() < AUTO_VERSION_INTERVAL_MS) return;
  await keepVersion(tx, row.id, row.content, null);
  const old = await tx.notebookVersion.findMany({
    where: { notebookId: row.id, label: null },
    orderBy: { createdAt: "desc" },
    skip: MAX_AUTO_VERSIONS,
    select: { id: true },
  });
  if (old.length) await tx.notebookVersion.deleteMany({ where: { id: { in: old.map((o) => o.id) } } });
}

export async function saveNamedVersion(ctx: SignedInContext, input: { key: NotebookKey; label: string }): Promise<number> {
  const row = await findByKey(ctx, input.key);
  if (!row) throw new DomainError("notFound");
  return ctx.db.$transaction((tx) => keepVersion(tx, row.id, row.content, input.label.trim()));
}

export async function listVersions(ctx: SignedInContext, key: NotebookKey) {
  const row = await findByKey(ctx, key);
  if (!row) return [];
  return ctx.db.notebookVersion.findMany({
    where: { notebookId: row.id },
    select: { revision: true, label: true, createdAt: true },
    orderBy: { revision: "desc" },
  });
}

/** Makes an old version current again (the current content is kept as a version first). */
export async function restoreVersion(ctx: SignedInContext, input: { key: NotebookKey; revision: number }): Promise<NotebookRecord> {
  const row = await findByKey(ctx, input.key);
  if (!row) throw new DomainError("notFound");
  return ctx.db.$transaction(async (tx) => {
    const version = await tx.notebookVersion.findUnique({
      where: { notebookId_revision: { notebookId: row.id, revision: input.revision } },
      select: { content: true },
    });
    if (!version) throw new DomainError("notFound");
    await keepVersion(tx, row.id, row.content, "before-restore");
    const updated = await tx.notebook.update({
      where: { id: row.id },
      data: { content: version.content, revision: { increment: 1 } },
      select: recordSelect,
    });
    return toRecord(updated);
  });
}
