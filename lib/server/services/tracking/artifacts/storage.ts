// Which store holds an artifact's bytes. New artifacts go to S3 when lib/env.ts has an
// ARTIFACT_S3_BUCKET, to disk otherwise; each Artifact row records its store's kind, and reads
// go to that store, so artifacts written before S3 was configured stay readable from disk.
import { env } from "@/lib/env";
import { S3ArtifactStore } from "./s3-store";
import { DiskArtifactStore, type ArtifactStore } from "./store";

export interface ArtifactStorage {
  /** Where new artifacts are written. */
  readonly current: ArtifactStore;
  /** The store for an Artifact row's `storage` value, or null when that store is not configured. */
  forKind(kind: string): ArtifactStore | null;
}

/** Storage that writes to `current` and reads each row from whichever of the stores has its kind. */
export function artifactStorage(current: ArtifactStore, ...others: ArtifactStore[]): ArtifactStorage {
  const byKind = new Map([...others, current].map((s) => [s.kind, s]));
  return { current, forKind: (kind) => byKind.get(kind) ?? null };
}

/** Services accept one store (tests, benches) or a full storage; one store reads only its own kind. */
export const asArtifactStorage = (s: ArtifactStore | ArtifactStorage): ArtifactStorage => ("current" in s ? s : artifactStorage(s));

let defaultStorage: ArtifactStorage | null = null;

export function defaultArtifactStorage(): ArtifactStorage {
  if (!defaultStorage) {
    const disk = new DiskArtifactStore(env.ARTIFACT_DIR);
    defaultStorage = env.artifactS3 ? artifactStorage(new S3ArtifactStore(env.artifactS3), disk) : artifactStorage(disk);
  }
  return defaultStorage;
}

/** Where new artifacts go: S3 when configured, disk otherwise. */
export const defaultArtifactStore = (): ArtifactStore => defaultArtifactStorage().current;
