// Where artifact bytes live: the ArtifactStore interface and the disk store (env.ARTIFACT_DIR).
// The S3-compatible store is s3-store.ts; storage.ts picks the stores from the environment.
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { dirname, join, resolve, sep } from "node:path";
import { env } from "@/lib/env";

export interface ArtifactStore {
  readonly kind: string; // stored in Artifact.storage: "disk" | "s3"
  put(key: string, data: Uint8Array): Promise<void>;
  get(key: string): Promise<Uint8Array | null>;
  delete(key: string): Promise<void>;
}

/** A store failed or is misconfigured: a server-side problem, reported as an internal error. */
export class ArtifactStorageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ArtifactStorageError";
  }
}

/** Normalizes an artifact path; rejects absolute paths and any ".." segment. */
export function safeArtifactPath(path: string): string {
  const parts = path.replace(/\\/g, "/").split("/").filter((p) => p !== "" && p !== ".");
  if (!parts.length || path.startsWith("/") || parts.some((p) => p === ".." || p.includes("\0")) || path.length > 1000)
    throw new Error(`Invalid artifact path '${path}'`);
  return parts.join("/");
}

export class DiskArtifactStore implements ArtifactStore {
  readonly kind = "disk";
  private readonly root: string;
  constructor(root: string = env.ARTIFACT_DIR) {
    this.root = resolve(root);
  }
  private file(key: string): string {
    const f = resolve(join(this.root, safeArtifactPath(key)));
    if (!f.startsWith(this.root + sep)) throw new Error(`Invalid artifact key '${key}'`);
    return f;
  }
  async put(key: string, data: Uint8Array): Promise<void> {
    const f = this.file(key);
    await mkdir(dirname(f), { recursive: true });
    await writeFile(f, data);
  }
  async get(key: string): Promise<Uint8Array | null> {
    try {
      return await readFile(this.file(key));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw e;
    }
  }
  async delete(key: string): Promise<void> {
    await rm(this.file(key), { force: true });
  }
}

