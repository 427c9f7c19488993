// Run artifacts (plots, model files): metadata in the Artifact table, bytes in an ArtifactStore
// (disk, or S3-compatible when configured; see storage.ts). Each row's `storage` column names the
// store that holds its bytes, and reads go there. Runs are only soft-deleted, so nothing here
// deletes bytes except an overwrite that moves an artifact from one store to another.
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
