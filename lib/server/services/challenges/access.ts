// Who may see a challenge: its class's instructor and the class's members; anyone else gets
// notFound (a challenge id reveals nothing). Also the mapping of lib/challenges' problems to
// domain errors, and the process-wide bits (scoring plans, leaderboard versions).
import { isChallengeProblem, type ChallengeProblem } from "@/lib/challenges/errors";
import { metricOrThrow, type MetricInfo } from "@/lib/challenges/metrics";
import { indexIds } from "@/lib/challenges/predictions";
import { createScoringPlan, type ScoringPlan } from "@/lib/challenges/scoring";
import type { Label } from "@/lib/challenges/truth";
import { DomainError } from "@/lib/server/errors";
import { processWide } from "@/lib/server/process-wide";
import type { SignedInContext } from "@/lib/server/services/context";

export const challengeSelect = {
  id: true,
  classId: true,
  createdById: true,
  template: true,
  title: true,
  description: true,
  trainDataset: true,
  targetColumn: true,
  idColumn: true,
  metric: true,
  positiveLabel: true,
  deadline: true,
  dailyLimit: true,
  publicFraction: true,
  rowCount: true,
  createdAt: true,
  class: { select: { instructorId: true, timeZone: true, leaderboardNames: true, name: true } },
} as const;

export interface ChallengeRow {
  id: string;
  classId: string;
  createdById: string;
  template: string | null;
  title: string;
  description: string;
  trainDataset: string | null;
  targetColumn: string;
  idColumn: string;
  metric: string;
  positiveLabel: string | null;
  deadline: Date;
  dailyLimit: number;
  publicFraction: number;
  rowCount: number;
  createdAt: Date;
  class: { instructorId: string; timeZone: string; leaderboardNames: string; name: string };
}

export interface ChallengeAccess {
  row: ChallengeRow;
  role: "instructor" | "student";
  metric: MetricInfo;
}

/** The challenge if the caller teaches its class or belongs to it; notFound otherwise. */
export async function challengeForMember(ctx: SignedInContext, challengeId: string): Promise<ChallengeAccess> {
  const row = await ctx.db.challenge.findFirst({
    where: {
      id: challengeId,
      class: { OR: [{ instructorId: ctx.user.id }, { members: { some: { userId: ctx.user.id } } }] },
    },
    select: challengeSelect,
  });
  if (!row) throw new DomainError("notFound");
  return { row, role: row.class.instructorId === ctx.user.id ? "instructor" : "student", metric: metricOrThrow(row.metric) };
}

/** As challengeForMember, but only the class's instructor passes. */
export async function challengeForInstructor(ctx: SignedInContext, challengeId: string): Promise<ChallengeAccess> {
  const access = await challengeForMember(ctx, challengeId);
  if (access.role !== "instructor") throw new DomainError("forbidden");
  return access;
}

/** A problem with the caller's input as a domain error the page can translate. */
export function problemError(p: ChallengeProblem): DomainError {
  const code = p.code === "dailyLimit" ? "rateLimited" : p.code === "instructorCannotSubmit" ? "forbidden" : "invalidInput";
  return new DomainError(code, p.message, { key: `challenges.errors.${p.code}`, params: p.params });
}

/** Runs `fn`, turning ChallengeProblems into domain errors. */
export async function asDomain<T>(fn: () => Promise<T> | T): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (isChallengeProblem(e)) throw problemError(e);
    throw e;
  }
}

// ---- scoring plans: built once per challenge (its hidden data never changes) ----

export interface CachedPlan {
  plan: ScoringPlan;
  index: Map<string, number>;
}

const plans = processWide("challenges.plans", () => new Map<string, CachedPlan>());
const PLAN_CACHE_SIZE = 32;

export async function scoringPlanFor(ctx: SignedInContext, row: ChallengeRow): Promise<CachedPlan> {
  const hit = plans.get(row.id);
  if (hit) {
    plans.delete(row.id);
    plans.set(row.id, hit);
    return hit;
  }
  const data = await ctx.db.challengeData.findUnique({ where: { challengeId: row.id }, select: { ids: true, labels: true, publicMask: true } });
  if (!data) throw new DomainError("notFound");
  const ids = JSON.parse(data.ids) as string[];
  const labels = JSON.parse(data.labels) as Label[];
  const publicMask = JSON.parse(data.publicMask) as string;
  const plan = createScoringPlan(row.metric, { ids, labels, publicMask }, row.positiveLabel);
  const cached = { plan, index: indexIds(ids) };
  plans.set(row.id, cached);
  while (plans.size > PLAN_CACHE_SIZE) plans.delete(plans.keys().next().value!);
  return cached;
}

export function forgetPlan(challengeId: string): void {
  plans.delete(challengeId);
}

// ---- leaderboard versions: bumped by writes the database aggregate cannot see (finals, names) ----

const versions = processWide("challenges.versions", () => new Map<string, number>());

export function bumpVersion(key: string): void {
  versions.set(key, (versions.get(key) ?? 0) + 1);
}

export function versionOf(key: string): number {
  return versions.get(key) ?? 0;
}
