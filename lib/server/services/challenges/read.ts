// What a class member sees of a challenge: its settings, their own submissions and what is left
// today; never a hidden label, and a private score only for the instructor or after the deadline.
import { dayKey, nextDayStart } from "@/lib/time-zone";
import { bestPublic, finalSubmissions } from "@/lib/challenges/leaderboard";
import { metricOrThrow, type MetricId, type PredictionKind } from "@/lib/challenges/metrics";
import { DomainError } from "@/lib/server/errors";
import { getClassForMember } from "@/lib/server/services/classes";
import { nowOf, type SignedInContext } from "@/lib/server/services/context";
import { challengeForMember, challengeSelect, type ChallengeAccess, type ChallengeRow } from "./access";

export interface ChallengeView {
  id: string;
  classId: string;
  className: string;
  title: string;
  description: string;
  template: string | null;
  /** Course dataset to train on (templates); null when the challenge has its own train file. */
  trainDataset: string | null;
  hasTrainFile: boolean;
  targetColumn: string;
  idColumn: string;
  metric: MetricId;
  metricName: string;
  higherIsBetter: boolean;
  /** What each prediction must be: "binary-label" (0/1), "class-label", "score", "probability" (0..1) or "number". */
  predictionKind: PredictionKind;
  positiveLabel: string | null;
  deadline: Date;
  closed: boolean;
  dailyLimit: number;
  publicFraction: number;
  rowCount: number;
  createdAt: Date;
  timeZone: string;
  role: "instructor" | "student";
  /** The caller's day in the class's time zone (YYYY-MM-DD) and when the next one starts there. */
  today: string;
  resetsAt: Date;
  /** The caller's submissions today, what is left, all of theirs, their best public score. */
  submittedToday: number;
  remainingToday: number;
  entries: number;
  bestPublicScore: number | null;
  /** Download links (GET, session cookie). */
  featuresUrl: string;
  trainUrl: string | null;
}

export function featuresUrl(challengeId: string): string {
  return `/api/challenges/${encodeURIComponent(challengeId)}/features.csv`;
}
export function trainUrl(challengeId: string): string {
  return `/api/challenges/${encodeURIComponent(challengeId)}/train.csv`;
}

async function toView(ctx: SignedInContext, access: ChallengeAccess, hasTrainFile: boolean): Promise<ChallengeView> {
  const { row, role, metric } = access;
  const now = nowOf(ctx);
  const today = dayKey(now, row.class.timeZone);
  const mine = await ctx.db.challengeSubmission.findMany({
    where: { challengeId: row.id, userId: ctx.user.id },
    select: { id: true, publicScore: true, privateScore: true, selected: true, createdAt: true, day: true },
  });
  const submittedToday = mine.filter((s) => s.day === today).length;
  const best = bestPublic(metric, mine);
  return {
    id: row.id,
    classId: row.classId,
    className: row.class.name,
    title: row.title,
    description: row.description,
    template: row.template,
    trainDataset: row.trainDataset,
    hasTrainFile,
    targetColumn: row.targetColumn,
    idColumn: row.idColumn,
    metric: metric.id,
    metricName: metric.name,
    higherIsBetter: metric.higherIsBetter,
    predictionKind: metric.predictions === "class-label" && row.positiveLabel !== null ? "binary-label" : metric.predictions,
    positiveLabel: row.positiveLabel,
    deadline: row.deadline,
    closed: now.getTime() >= row.deadline.getTime(),
    dailyLimit: row.dailyLimit,
    publicFraction: row.publicFraction,
    rowCount: row.rowCount,
    createdAt: row.createdAt,
    timeZone: row.class.timeZone,
    role,
    today,
    resetsAt: nextDayStart(now, row.class.timeZone),
    submittedToday,
    remainingToday: role === "student" ? Math.max(0, row.dailyLimit - submittedToday) : 0,
    entries: mine.length,
    bestPublicScore: best ? best.publicScore : null,
    featuresUrl: featuresUrl(row.id),
    trainUrl: hasTrainFile ? trainUrl(row.id) : null,
  };
}

async function hasTrain(ctx: SignedInContext, challengeId: string): Promise<boolean> {
  const n = await ctx.db.challengeData.count({ where: { challengeId, trainCsv: { not: null } } });
  return n > 0;
}

export async function getChallenge(ctx: SignedInContext, challengeId: string): Promise<ChallengeView> {
  const access = await challengeForMember(ctx, challengeId);
  return toView(ctx, access, await hasTrain(ctx, challengeId));
}

/** The class's challenges, newest first (members and the instructor). */
export async function listChallenges(ctx: SignedInContext, classId: string): Promise<ChallengeView[]> {
  const cls = await getClassForMember(ctx, classId);
  const rows: ChallengeRow[] = await ctx.db.challenge.findMany({ where: { classId }, select: challengeSelect, orderBy: [{ createdAt: "desc" }, { id: "desc" }] });
  const withTrain = new Set(
    (await ctx.db.challengeData.findMany({ where: { challengeId: { in: rows.map((r) => r.id) }, trainCsv: { not: null } }, select: { challengeId: true } })).map((d) => d.challengeId),
  );
  const out: ChallengeView[] = [];
  for (const row of rows) out.push(await toView(ctx, { row, role: cls.role, metric: metricOrThrow(row.metric) }, withTrain.has(row.id)));
  return out;
}

/** Every challenge of every class the caller belongs to or teaches (the notebook's `challenge.list()`). */
export async function listMyChallenges(ctx: SignedInContext): Promise<ChallengeView[]> {
  const classes = await ctx.db.class.findMany({
    where: { OR: [{ instructorId: ctx.user.id }, { members: { some: { userId: ctx.user.id } } }] },
    select: { id: true },
  });
  const out: ChallengeView[] = [];
  for (const c of classes) out.push(...(await listChallenges(ctx, c.id)));
  return out.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
}

export interface MySubmission {
  id: string;
  attempt: number;
  source: string;
  publicScore: number;
  /** null for a student before the deadline. */
  privateScore: number | null;
  selected: boolean;
  /** Counts on the private leaderboard (marked, or the best public one when none is marked). */
  counts: boolean;
  day: string;
  rows: number;
  createdAt: Date;
}

/** The caller's own submissions, oldest first with their attempt number. */
export async function mySubmissions(ctx: SignedInContext, challengeId: string): Promise<MySubmission[]> {
  const { row, role, metric } = await challengeForMember(ctx, challengeId);
  const showPrivate = role === "instructor" || nowOf(ctx).getTime() >= row.deadline.getTime();
  const subs = await ctx.db.challengeSubmission.findMany({
    where: { challengeId: row.id, userId: ctx.user.id },
    select: { id: true, source: true, publicScore: true, privateScore: true, selected: true, day: true, rows: true, createdAt: true },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
  });
  const finals = new Set(finalSubmissions(metric, subs).map((s) => s.id));
  return subs.map((s, i) => ({
    id: s.id,
    attempt: i + 1,
    source: s.source,
    publicScore: s.publicScore,
    privateScore: showPrivate ? s.privateScore : null,
    selected: s.selected,
    counts: finals.has(s.id),
    day: s.day,
    rows: s.rows,
    createdAt: s.createdAt,
  }));
}

export interface ChallengeFile {
  fileName: string;
  csv: string;
}

/** The test features (id + features, no target): what students predict on. */
export async function featuresFile(ctx: SignedInContext, challengeId: string): Promise<ChallengeFile> {
  const { row } = await challengeForMember(ctx, challengeId);
  const data = await ctx.db.challengeData.findUnique({ where: { challengeId: row.id }, select: { featuresCsv: true } });
  if (!data) throw new DomainError("notFound");
  return { fileName: `${row.template ?? "challenge"}-${row.id}-test.csv`, csv: data.featuresCsv };
}

/** The labelled train part of an uploaded challenge (templates train on a course dataset: notFound). */
export async function trainFile(ctx: SignedInContext, challengeId: string): Promise<ChallengeFile> {
  const { row } = await challengeForMember(ctx, challengeId);
  const data = await ctx.db.challengeData.findUnique({ where: { challengeId: row.id }, select: { trainCsv: true } });
  if (!data?.trainCsv) throw new DomainError("notFound");
  return { fileName: `challenge-${row.id}-train.csv`, csv: data.trainCsv };
}
