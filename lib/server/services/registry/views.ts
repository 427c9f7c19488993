// What the registry's services return: registered models and model versions as plain objects
// (timestamps in ms, names as the caller addresses them), and the Prisma selects that load them.
import type { Prisma } from "@/prisma/generated/sqlite/client";
import type { SignedInContext } from "@/lib/server/services/context";
import { displayName } from "./access";
import { signatureFromText, type ModelSignature } from "./signature";
import type { RegistryTag } from "./values";

export const versionSelect = {
  id: true,
  version: true,
  creationTime: true,
  lastUpdatedTime: true,
  userId: true,
  description: true,
  source: true,
  runId: true,
  artifactPath: true,
  runLink: true,
  status: true,
  currentStage: true,
  signature: true,
  tags: { select: { key: true, value: true }, orderBy: { key: "asc" } },
  aliases: { select: { alias: true }, orderBy: { alias: "asc" } },
} as const;

export const versionWithModelSelect = { ...versionSelect, model: { select: { id: true, ownerId: true, name: true } } } as const;

export const modelSelect = {
  id: true,
  ownerId: true,
  name: true,
  description: true,
  creationTime: true,
  lastUpdatedTime: true,
  tags: { select: { key: true, value: true }, orderBy: { key: "asc" } },
  aliases: { select: { alias: true, version: { select: { version: true } } }, orderBy: { alias: "asc" } },
  versions: { select: versionSelect, orderBy: { version: "asc" } },
} as const;

type VersionRow = Prisma.ModelVersionGetPayload<{ select: typeof versionSelect }>;
type ModelRow = Prisma.RegisteredModelGetPayload<{ select: typeof modelSelect }>;

export interface ModelVersionInfo {
  /** The model's name as the caller addresses it. */
  name: string;
  version: number;
  creationTimestamp: number;
  lastUpdatedTimestamp: number;
  userId: string;
  currentStage: string;
  description: string | null;
  source: string;
  runId: string | null;
  runLink: string | null;
  status: string;
  tags: RegistryTag[];
  aliases: string[];
  /** Folder of the run's artifacts holding model.json. */
  artifactPath: string;
  signature: ModelSignature | null;
}

export interface RegisteredModelInfo {
  name: string;
  ownerId: string;
  creationTimestamp: number;
  lastUpdatedTimestamp: number;
  description: string | null;
  /** The highest version in each stage (MLflow's latest_versions). */
  latestVersions: ModelVersionInfo[];
  tags: RegistryTag[];
  aliases: { alias: string; version: number }[];
}

export function toVersionInfo(ctx: SignedInContext, model: { ownerId: string; name: string }, v: VersionRow): ModelVersionInfo {
  return {
    name: displayName(ctx, model),
    version: v.version,
    creationTimestamp: Number(v.creationTime),
    lastUpdatedTimestamp: Number(v.lastUpdatedTime),
    userId: v.userId,
    currentStage: v.currentStage,
    description: v.description,
    source: v.source,
    runId: v.runId,
    runLink: v.runLink,
    status: v.status,
    tags: v.tags,
    aliases: v.aliases.map((a) => a.alias),
    artifactPath: v.artifactPath,
    signature: signatureFromText(v.signature),
  };
}

/** The highest version of each stage, in version order (MLflow's latest_versions). */
export function latestPerStage<T extends { version: number; currentStage: string }>(versions: readonly T[], stages?: readonly string[]): T[] {
  const best = new Map<string, T>();
  for (const v of versions) {
    if (stages && !stages.includes(v.currentStage)) continue;
    const b = best.get(v.currentStage);
    if (!b || v.version > b.version) best.set(v.currentStage, v);
  }
  return [...best.values()].sort((a, b) => a.version - b.version);
}

export function toModelInfo(ctx: SignedInContext, m: ModelRow): RegisteredModelInfo {
  return {
    name: displayName(ctx, m),
    ownerId: m.ownerId,
    creationTimestamp: Number(m.creationTime),
    lastUpdatedTimestamp: Number(m.lastUpdatedTime),
    description: m.description,
    latestVersions: latestPerStage(m.versions.map((v) => toVersionInfo(ctx, m, v))),
    tags: m.tags,
    aliases: m.aliases.map((a) => ({ alias: a.alias, version: a.version.version })),
  };
}
