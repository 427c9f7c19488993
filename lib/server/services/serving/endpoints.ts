// Endpoints' deployment state (issue 13 point 4): visibility and how traffic is split between
// versions, one Endpoint row per registered model, changed only by the model's owner. Every change
// is a DeploymentEvent (who, when, the state before and after) written in the same transaction;
// rollback restores the state before the last change that was not itself undone (the history
// gives it). Serving reads the row with the model (1 s cache), so every instance routes the same
// way within a second. Rules: lib/server/services/serving/README.md.
import { DomainError } from "@/lib/server/errors";
import { nowOf, type SignedInContext } from "@/lib/server/services/context";
import { modelNotFound, parseModelRef } from "@/lib/server/services/registry/access";
import type { Tx } from "@/lib/server/services/registry/models";
import type { DeploymentMode, LiveColor } from "@/lib/serving/traffic";
import { overseenModelWhere, servableModelWhere, type Visibility } from "./access";
import { processPolicyInvalidations } from "./invalidation";
import { endpointState, parseEndpointState, routingFields, servingVersionOf, type EndpointState } from "./policy";

export const DEPLOYMENT_ACTIONS = ["deploy", "canary", "canary-percent", "promote", "rollback", "shadow", "ab", "blue-green-switch", "visibility"] as const;
export type DeploymentAction = (typeof DEPLOYMENT_ACTIONS)[number];

export interface EndpointView extends EndpointState {
  /** As the caller addresses it (`name` for the owner, `<ownerId>/<name>` for others). */
  name: string;
  ownerId: string;
  /** READY version numbers, ascending. */
  versions: number[];
  /** The version a request naming no version goes to outside the split (single's version, blue/green's live color). */
  servingVersion: number | null;
  /** ms since the epoch; null: never changed (defaults). */
  updatedAt: number | null;
}

export interface DeploymentEventView {
  id: number;
  action: string;
  actorId: string;
  timestamp: number;
  from: EndpointState;
  to: EndpointState;
}

interface ModelRow {
  id: string;
  ownerId: string;
  name: string;
  versions: { version: number; status: string }[];
  endpoint: { visibility: string; mode: string; stableVersion: number | null; candidateVersion: number | null; canaryPercent: number; abPercent: number; liveColor: string; updatedAt: bigint } | null;
}

const modelSelect = {
  id: true,
  ownerId: true,
  name: true,
  versions: { select: { version: true, status: true } },
  endpoint: { select: { visibility: true, mode: true, stableVersion: true, candidateVersion: true, canaryPercent: true, abPercent: true, liveColor: true, updatedAt: true } },
} as const;

const readyVersions = (m: Pick<ModelRow, "versions">): number[] =>
  m.versions
    .filter((v) => v.status === "READY")
    .map((v) => v.version)
    .sort((a, b) => a - b);

function viewOf(userId: string, m: ModelRow): EndpointView {
  const state = endpointState(m.endpoint);
  const versions = readyVersions(m);
  return {
    name: m.ownerId === userId ? m.name : `${m.ownerId}/${m.name}`,
    ownerId: m.ownerId,
    ...state,
    versions,
    servingVersion: servingVersionOf(state, versions),
    updatedAt: m.endpoint ? Number(m.endpoint.updatedAt) : null,
  };
}

async function findModelOrThrow(ctx: SignedInContext, requested: string, where: (userId: string) => object): Promise<ModelRow> {
  const ref = parseModelRef(ctx, requested);
  const row = await ctx.db.registeredModel.findFirst({
    where: { ownerId: ref.ownerId, name: ref.name, ...(ref.ownerId === ctx.user.id ? {} : where(ctx.user.id)) },
    select: modelSelect,
  });
  if (!row) throw modelNotFound(ref.requested);
  return row;
}

/** An endpoint as its owner, a classmate it is shared with, or an instructor sees it. */
export async function getEndpoint(ctx: SignedInContext, name: string): Promise<EndpointView> {
  return viewOf(ctx.user.id, await findModelOrThrow(ctx, name, servableModelWhere));
}

/** The caller's own endpoints (every registered model), by name. */
export async function listMyEndpoints(ctx: SignedInContext): Promise<EndpointView[]> {
  const rows = await ctx.db.registeredModel.findMany({ where: { ownerId: ctx.user.id }, select: modelSelect, orderBy: { name: "asc" } });
  return rows.map((m) => viewOf(ctx.user.id, m));
}

/** The endpoints the caller may call: their own (`mine`), then the others' they may call (classmates' shared ones, their students'), by name. */
export async function listCallableEndpoints(ctx: SignedInContext): Promise<(EndpointView & { mine: boolean })[]> {
  const rows = await ctx.db.registeredModel.findMany({
    where: { OR: [{ ownerId: ctx.user.id }, servableModelWhere(ctx.user.id)] },
    select: modelSelect,
    orderBy: [{ name: "asc" }, { ownerId: "asc" }],
    take: 1000,
  });
  const views = rows.map((m) => ({ ...viewOf(ctx.user.id, m), mine: m.ownerId === ctx.user.id }));
  return [...views.filter((v) => v.mine), ...views.filter((v) => !v.mine)];
}

/** Every endpoint of every student of a class the caller teaches, with its mode and versions. */
export async function listClassEndpoints(ctx: SignedInContext, classId: string): Promise<{ student: { id: string; name: string }; endpoints: EndpointView[] }[]> {
  const cls = await ctx.db.class.findFirst({ where: { id: classId, instructorId: ctx.user.id }, select: { id: true } });
  if (!cls) throw new DomainError("notFound", "Class not found", { key: "models.errors.classNotFound" });
  const members = await ctx.db.membership.findMany({
    where: { classId },
    select: { user: { select: { id: true, name: true, registeredModels: { select: modelSelect, orderBy: { name: "asc" } } } } },
    orderBy: { joinedAt: "asc" },
  });
  return members.map(({ user }) => ({ student: { id: user.id, name: user.name }, endpoints: user.registeredModels.map((m) => viewOf(ctx.user.id, m)) }));
}

/** The audit log of an endpoint, newest first: its owner and their instructors read it. */
export async function listDeploymentEvents(ctx: SignedInContext, name: string, limit = 100): Promise<DeploymentEventView[]> {
  const m = await findModelOrThrow(ctx, name, overseenModelWhere);
  const rows = await ctx.db.deploymentEvent.findMany({ where: { modelId: m.id }, orderBy: { id: "desc" }, take: Math.min(Math.max(1, limit), 1000) });
  return rows.map((e) => ({ id: e.id, action: e.action, actorId: e.actorId, timestamp: Number(e.createdAt), from: parseEndpointState(e.fromState), to: parseEndpointState(e.toState) }));
}

type Planner = (current: EndpointState, ready: readonly number[], tx: Tx, modelId: string) => EndpointState | Promise<EndpointState>;

/** One audited change, owner only (others who may see the endpoint: forbidden; anyone else: not found): the next state from the current one, written with its event in one transaction. */
async function change(ctx: SignedInContext, name: string, action: DeploymentAction, plan: Planner): Promise<EndpointView> {
  const m = await findModelOrThrow(ctx, name, servableModelWhere);
  if (m.ownerId !== ctx.user.id) throw new DomainError("forbidden", `Only the owner of registered model '${m.name}' may change its endpoint`, { key: "models.errors.notOwner", params: { model: m.name } });
  const now = BigInt(nowOf(ctx).getTime());
  await ctx.db.$transaction(async (tx) => {
    const row = await tx.registeredModel.findUniqueOrThrow({ where: { id: m.id }, select: modelSelect });
    const current = endpointState(row.endpoint);
    const next = await plan(current, readyVersions(row), tx, m.id);
    const data = { ...next, updatedAt: now, updatedBy: ctx.user.id };
    await tx.endpoint.upsert({ where: { modelId: m.id }, create: { modelId: m.id, ...data }, update: data });
    await tx.deploymentEvent.create({
      data: { ownerId: m.ownerId, modelId: m.id, modelName: m.name, action, fromState: JSON.stringify(current), toState: JSON.stringify(next), actorId: ctx.user.id, createdAt: now },
    });
  });
  processPolicyInvalidations().publish(m.id); // committed: every instance drops its view now (Redis), not within 1 s
  return getEndpoint(ctx, name);
}

function readyOrThrow(ready: readonly number[], version: number, what: string): number {
  if (!ready.includes(version)) throw new DomainError("invalidInput", `Version ${version} cannot be ${what}: it is not a READY version of this model`, { key: "models.errors.versionNotReady", params: { version } });
  return version;
}

/** A new rollout (canary, shadow, A/B, blue/green): the version serving now becomes the stable one. */
function rollout(current: EndpointState, ready: readonly number[], candidate: number, mode: DeploymentMode, extra: Partial<EndpointState>): EndpointState {
  readyOrThrow(ready, candidate, "rolled out");
  const stable = servingVersionOf(current, ready);
  if (stable === null) throw new DomainError("invalidInput", "Deploy a version first: the model has no READY version serving", { key: "models.errors.nothingServing" });
  if (stable === candidate) throw new DomainError("invalidInput", `Version ${candidate} is already the version serving; choose another candidate`, { key: "models.errors.candidateIsServing", params: { version: candidate } });
  return { ...current, mode, stableVersion: stable, candidateVersion: candidate, canaryPercent: 0, abPercent: 50, liveColor: "blue", ...extra };
}

export const setEndpointVisibility = (ctx: SignedInContext, input: { name: string; visibility: Visibility }) =>
  change(ctx, input.name, "visibility", (s) => ({ ...s, visibility: input.visibility }));

/** Single version: every request naming no version goes to it. */
export const deployVersion = (ctx: SignedInContext, input: { name: string; version: number }) =>
  change(ctx, input.name, "deploy", (s, ready) => ({
    ...s,
    mode: "single",
    stableVersion: readyOrThrow(ready, input.version, "deployed"),
    candidateVersion: null,
    canaryPercent: 0,
    abPercent: 50,
    liveColor: "blue",
  }));

export const startCanary = (ctx: SignedInContext, input: { name: string; candidateVersion: number; percent: number }) =>
  change(ctx, input.name, "canary", (s, ready) => rollout(s, ready, input.candidateVersion, "canary", { canaryPercent: input.percent }));

export const setCanaryPercent = (ctx: SignedInContext, input: { name: string; percent: number }) =>
  change(ctx, input.name, "canary-percent", (s) => {
    if (s.mode !== "canary") throw new DomainError("conflict", "The endpoint is not running a canary; start one first", { key: "models.errors.noCanary" });
    return { ...s, canaryPercent: input.percent };
  });

export const startShadow = (ctx: SignedInContext, input: { name: string; candidateVersion: number }) =>
  change(ctx, input.name, "shadow", (s, ready) => rollout(s, ready, input.candidateVersion, "shadow", {}));

export const startAb = (ctx: SignedInContext, input: { name: string; candidateVersion: number; percent: number }) =>
  change(ctx, input.name, "ab", (s, ready) => rollout(s, ready, input.candidateVersion, "ab", { abPercent: input.percent }));

/**
 * Blue/green: all traffic to one version at once, the other kept warm. Already blue/green without
 * a version (or naming the idle one): the colors swap. Otherwise the version serving now becomes
 * blue and `version` green, live.
 */
export const switchBlueGreen = (ctx: SignedInContext, input: { name: string; version?: number }) =>
  change(ctx, input.name, "blue-green-switch", (s, ready) => {
    if (s.mode === "blue-green" && s.stableVersion !== null && s.candidateVersion !== null) {
      const idle = s.liveColor === "blue" ? s.candidateVersion : s.stableVersion;
      if (input.version === undefined || input.version === idle) return { ...s, liveColor: (s.liveColor === "blue" ? "green" : "blue") as LiveColor };
    }
    if (input.version === undefined) throw new DomainError("invalidInput", "Name the version to switch to: the endpoint is not blue/green yet", { key: "models.errors.blueGreenNeedsVersion" });
    return rollout(s, ready, input.version, "blue-green", { liveColor: "green" });
  });

/** The rollout's new version becomes the single version (blue/green: the live color's). */
export const promote = (ctx: SignedInContext, input: { name: string }) =>
  change(ctx, input.name, "promote", (s, ready) => {
    if (s.mode === "single" || s.candidateVersion === null) throw new DomainError("conflict", "Nothing to promote: the endpoint serves a single version", { key: "models.errors.nothingToPromote" });
    const winner = s.mode === "blue-green" ? servingVersionOf(s, ready) : s.candidateVersion;
    return { ...s, mode: "single", stableVersion: winner, candidateVersion: null, canaryPercent: 0, abPercent: 50, liveColor: "blue" };
  });

/**
 * Back to the routing before the last change that was not undone already (visibility changes are
 * not rolled back): each earlier rollback cancels the change it undid, so rolling back twice
 * undoes the last two changes.
 */
export const rollback = (ctx: SignedInContext, input: { name: string }) =>
  change(ctx, input.name, "rollback", async (s, _ready, tx, modelId) => {
    const events = await tx.deploymentEvent.findMany({ where: { modelId, NOT: { action: "visibility" } }, orderBy: { id: "desc" }, select: { action: true, fromState: true }, take: 1000 });
    let undone = 0;
    for (const e of events) {
      if (e.action === "rollback") undone++;
      else if (undone > 0) undone--;
      else return { ...routingFields(parseEndpointState(e.fromState)), visibility: s.visibility };
    }
    throw new DomainError("conflict", "Nothing to roll back: the endpoint has no earlier deployment", { key: "models.errors.nothingToRollBack" });
  });

