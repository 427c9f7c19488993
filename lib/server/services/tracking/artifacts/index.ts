// Run artifacts (plots, model files): metadata in the Artifact table, bytes in an ArtifactStore
// (disk, or S3-compatible when configured; see storage.ts). Each row's `storage` column names the
// store that holds its bytes, and reads go there. Runs are only soft-deleted; bytes are deleted
// when the run's owner deletes artifacts (MLflow's DELETE mlflow-artifacts/artifacts/<path>) or
// an overwrite moves an artifact from one store to another.
import { DomainError } from "@/lib/server/errors";
import type { SignedInContext } from "@/lib/server/services/context";
import { getRunForWriteOrThrow, runNotFound, visibleRunWhere } from "../access";
import { asArtifactStorage, defaultArtifactStorage, type ArtifactStorage } from "./storage";
import { ArtifactStorageError, safeArtifactPath, type ArtifactStore } from "./store";

export const MAX_ARTIFACT_BYTES = 50 * 1024 * 1024;

export interface ArtifactInfo {
  path: string;
  size: number;
  contentType: string;
  createdAt: Date;
}

function checkedPath(path: string): string {
  try {
    return safeArtifactPath(path);
  } catch (e) {
    throw new DomainError("invalidInput", (e as Error).message);
  }
}

export async function logArtifact(
  ctx: SignedInContext,
  input: { runId: string; path: string; data: Uint8Array; contentType?: string },
  storage: ArtifactStore | ArtifactStorage = defaultArtifactStorage(),
): Promise<ArtifactInfo> {
  const path = checkedPath(input.path);
  if (input.data.byteLength > MAX_ARTIFACT_BYTES) throw new DomainError("invalidInput", `Artifacts are limited to ${MAX_ARTIFACT_BYTES} bytes`);
  const run = await getRunForWriteOrThrow(ctx, input.runId);
  const stores = asArtifactStorage(storage);
  const store = stores.current;
  const key = `${run.id}/${path}`;
  const before = await ctx.db.artifact.findUnique({ where: { runId_path: { runId: run.id, path } }, select: { storage: true } });
  await store.put(key, input.data);
  const data = { size: input.data.byteLength, contentType: input.contentType ?? "application/octet-stream", storage: store.kind };
  const saved = await ctx.db.artifact.upsert({
    where: { runId_path: { runId: run.id, path } },
    create: { runId: run.id, path, ...data },
    update: { ...data, createdAt: new Date() },
    select: { path: true, size: true, contentType: true, createdAt: true },
  });
  // Overwriting an artifact kept in another store (disk before S3 was configured): drop the old bytes.
  if (before && before.storage !== store.kind)
    await stores
      .forKind(before.storage)
      ?.delete(key)
      .catch((e: unknown) => console.warn(`[artifacts] could not delete the replaced copy of '${key}' from ${before.storage}: ${(e as Error).message}`));
  return saved;
}

export async function listArtifacts(ctx: SignedInContext, input: { runId: string; prefix?: string }): Promise<ArtifactInfo[]> {
  const n = await ctx.db.run.count({ where: { id: input.runId, ...visibleRunWhere(ctx.user.id) } });
  if (!n) throw runNotFound(input.runId);
  const prefix = input.prefix ? `${checkedPath(input.prefix)}/` : undefined;
  return ctx.db.artifact.findMany({
    where: { runId: input.runId, ...(prefix ? { path: { startsWith: prefix } } : {}) },
    select: { path: true, size: true, contentType: true, createdAt: true },
    orderBy: { path: "asc" },
  });
}

export async function readArtifact(
  ctx: SignedInContext,
  input: { runId: string; path: string },
  storage: ArtifactStore | ArtifactStorage = defaultArtifactStorage(),
): Promise<{ data: Uint8Array; contentType: string }> {
  const path = checkedPath(input.path);
  const row = await ctx.db.artifact.findFirst({
    where: { runId: input.runId, path, run: visibleRunWhere(ctx.user.id) },
    select: { contentType: true, storage: true },
  });
  if (!row) throw new DomainError("notFound", `Artifact '${path}' not found`);
  const store = asArtifactStorage(storage).forKind(row.storage);
  // A configuration error (S3 settings removed after artifacts were written there), not the caller's.
  if (!store) throw new ArtifactStorageError(`Artifact '${input.runId}/${path}' is kept in '${row.storage}' storage, which is not configured`);
  const data = await store.get(`${input.runId}/${path}`);
  if (!data) throw new DomainError("notFound", `Artifact '${path}' is missing from storage`);
  return { data, contentType: row.contentType };
}

export interface ArtifactEntry {
  /** From the run's artifact root, e.g. "plots/loss.png". */
  path: string;
  isDir: boolean;
  /** Bytes; files only. */
  size?: number;
}

/** The direct children of a folder of a run's artifacts (""= the root), sub-folders collapsed. */
export async function listArtifactChildren(ctx: SignedInContext, input: { runId: string; dir?: string }): Promise<ArtifactEntry[]> {
  const dir = input.dir && /[^/]/.test(input.dir) ? checkedPath(input.dir) : ""; // not replace(/^\/+|\/+$/g): quadratic on a run of slashes
  const all = await listArtifacts(ctx, { runId: input.runId, prefix: dir || undefined });
  const children = new Map<string, ArtifactEntry>();
  for (const a of all) {
    if (dir && !a.path.startsWith(`${dir}/`)) continue; // startsWith in SQL may ignore case (SQLite)
    const rest = dir ? a.path.slice(dir.length + 1) : a.path;
    const slash = rest.indexOf("/");
    const child = (dir ? `${dir}/` : "") + (slash < 0 ? rest : rest.slice(0, slash));
    if (slash < 0) children.set(child, { path: child, isDir: false, size: a.size });
    else if (!children.has(child)) children.set(child, { path: child, isDir: true });
  }
  return [...children.values()];
}

/**
 * Deletes one artifact, or every artifact under a folder (the whole run's when `path` is empty),
 * of the caller's active run. Nothing there is not an error, as in MLflow. The rows go first, so a
 * store that fails afterwards leaves unreachable bytes rather than rows without bytes.
 */
export async function deleteArtifacts(
  ctx: SignedInContext,
  input: { runId: string; path?: string },
  storage: ArtifactStore | ArtifactStorage = defaultArtifactStorage(),
): Promise<{ deleted: number }> {
  const path = input.path && /[^/]/.test(input.path) ? checkedPath(input.path) : "";
  const run = await getRunForWriteOrThrow(ctx, input.runId);
  const where = { runId: run.id, ...(path ? { OR: [{ path }, { path: { startsWith: `${path}/` } }] } : {}) };
  // SQL's LIKE behind startsWith ignores case on SQLite and treats _ and % as wildcards: re-check.
  const rows = (await ctx.db.artifact.findMany({ where, select: { id: true, path: true, storage: true } })).filter(
    (r) => !path || r.path === path || r.path.startsWith(`${path}/`),
  );
  if (!rows.length) return { deleted: 0 };
  await ctx.db.artifact.deleteMany({ where: { id: { in: rows.map((r) => r.id) } } });
  const stores = asArtifactStorage(storage);
  for (const r of rows) {
    const key = `${run.id}/${r.path}`;
    await stores
      .forKind(r.storage)
      ?.delete(key)
      .catch((e: unknown) => console.warn(`[artifacts] could not delete '${key}' from ${r.storage}: ${(e as Error).message}`));
  }
  return { deleted: rows.length };
}
