// Starting a challenge: from a course template (one click) or from an instructor's labelled CSV.
// Either way the hidden labels go to ChallengeData and never leave the server; what students get
// is the test features (and, for uploads, the labelled train part).
import { randomBytes } from "node:crypto";
import { ChallengeProblem } from "@/lib/challenges/errors";
import { metricOrThrow, type MetricId } from "@/lib/challenges/metrics";
import { assertScorable, createScoringPlan } from "@/lib/challenges/scoring";
import { publicMaskFor } from "@/lib/challenges/split";
import { prepareHiddenTable, prepareUploadedTable, type PreparedChallenge } from "@/lib/challenges/tables";
import { DomainError } from "@/lib/server/errors";
import { assertTeaches } from "@/lib/server/services/classes";
import { nowOf, type SignedInContext } from "@/lib/server/services/context";
import { asDomain, challengeForInstructor, forgetPlan, bumpVersion } from "./access";
import { findTemplate, readHiddenCsv } from "./templates";
import { getChallenge, type ChallengeView } from "./read";

export const DEFAULT_DAILY_LIMIT = 5;
export const DEFAULT_PUBLIC_FRACTION = 0.3;
export const DEFAULT_TEST_FRACTION = 0.3;
export const DEFAULT_DURATION_MS = 7 * 24 * 3600 * 1000;

export interface ChallengeSettings {
  title?: string;
  description?: string;
  deadline?: Date;
  dailyLimit?: number;
  publicFraction?: number;
}

export interface CreateFromTemplateInput extends ChallengeSettings {
  classId: string;
  template: string;
  /** Language of the default title and description. */
  locale?: "es" | "en";
}

export interface CreateFromCsvInput extends ChallengeSettings {
  classId: string;
  title: string;
  csv: string;
  targetColumn: string;
  /** null: ids are generated. */
  idColumn: string | null;
  metric: MetricId;
  positiveLabel: string | null;
  /** Share of the uploaded rows kept hidden as the test set (default 0.3). */
  testFraction?: number;
}

const newChallengeId = () => `ch${Date.now().toString(36)}${randomBytes(8).toString("hex")}`;

function checkDeadline(ctx: SignedInContext, deadline: Date | undefined): Date {
  const now = nowOf(ctx);
  const d = deadline ?? new Date(now.getTime() + DEFAULT_DURATION_MS);
  if (d.getTime() <= now.getTime()) throw new ChallengeProblem("deadlineInPast", "The deadline must be in the future", {});
  return d;
}

interface Stored {
  id: string;
  classId: string;
  template: string | null;
  title: string;
  description: string;
  trainDataset: string | null;
  targetColumn: string;
  metric: MetricId;
  positiveLabel: string | null;
  deadline: Date;
  dailyLimit: number;
  publicFraction: number;
  prepared: PreparedChallenge;
}

async function store(ctx: SignedInContext, s: Stored): Promise<ChallengeView> {
  const metric = metricOrThrow(s.metric);
  // Classification targets are split per class so each part has its share of a rare class.
  const stratify = metric.task !== "regression";
  const publicMask = publicMaskFor(s.prepared.labels, s.publicFraction, s.id, stratify);
  const plan = createScoringPlan(s.metric, { ids: s.prepared.ids, labels: s.prepared.labels, publicMask }, s.positiveLabel);
  assertScorable(plan);
  await ctx.db.challenge.create({
    data: {
      id: s.id,
      classId: s.classId,
      createdById: ctx.user.id,
      template: s.template,
      title: s.title,
      description: s.description,
      trainDataset: s.trainDataset,
      targetColumn: s.targetColumn,
      idColumn: s.prepared.idColumn,
      metric: s.metric,
      positiveLabel: s.positiveLabel,
      deadline: s.deadline,
      dailyLimit: s.dailyLimit,
      publicFraction: s.publicFraction,
      rowCount: s.prepared.ids.length,
      data: {
        create: {
          featuresCsv: s.prepared.featuresCsv,
          trainCsv: s.prepared.trainCsv,
          ids: JSON.stringify(s.prepared.ids),
          labels: JSON.stringify(s.prepared.labels),
          publicMask: JSON.stringify(publicMask),
        },
      },
    },
    select: { id: true },
  });
  bumpVersion(`class:${s.classId}`);
  return getChallenge(ctx, s.id);
}

/** One click: a course template with default deadline (+7 days), daily limit (5) and split (30 % public). */
export async function createFromTemplate(ctx: SignedInContext, input: CreateFromTemplateInput): Promise<ChallengeView> {
  await assertTeaches(ctx, input.classId);
  return asDomain(async () => {
    const template = await findTemplate(input.template);
    if (!template) throw new ChallengeProblem("unknownTemplate", `There is no challenge template "${input.template}"`, { template: input.template.slice(0, 64) });
    const deadline = checkDeadline(ctx, input.deadline);
    const prepared = prepareHiddenTable(await readHiddenCsv(template), { targetColumn: template.targetColumn, idColumn: template.idColumn });
    const locale = input.locale ?? "es";
    return store(ctx, {
      id: newChallengeId(),
      classId: input.classId,
      template: template.id,
      title: input.title?.trim() || template.title[locale],
      description: input.description?.trim() || template.description[locale],
      trainDataset: template.trainDataset,
      targetColumn: template.targetColumn,
      metric: template.metric,
      positiveLabel: template.positiveLabel,
      deadline,
      dailyLimit: input.dailyLimit ?? DEFAULT_DAILY_LIMIT,
      publicFraction: input.publicFraction ?? DEFAULT_PUBLIC_FRACTION,
      prepared,
    });
  });
}

/** From a labelled CSV: a seeded, stratified part of the rows becomes the hidden test set. */
export async function createFromCsv(ctx: SignedInContext, input: CreateFromCsvInput): Promise<ChallengeView> {
  await assertTeaches(ctx, input.classId);
  return asDomain(async () => {
    const deadline = checkDeadline(ctx, input.deadline);
    const metric = metricOrThrow(input.metric);
    const id = newChallengeId();
    const prepared = prepareUploadedTable(
      input.csv,
      { targetColumn: input.targetColumn, idColumn: input.idColumn },
      { testFraction: input.testFraction ?? DEFAULT_TEST_FRACTION, seedText: id, stratify: metric.task !== "regression" },
    );
    const positiveLabel = input.positiveLabel === null ? null : input.positiveLabel.trim();
    return store(ctx, {
      id,
      classId: input.classId,
      template: null,
      title: input.title.trim(),
      description: input.description?.trim() ?? "",
      trainDataset: null,
      targetColumn: input.targetColumn,
      metric: input.metric,
      positiveLabel: positiveLabel === "" ? null : positiveLabel,
      deadline,
      dailyLimit: input.dailyLimit ?? DEFAULT_DAILY_LIMIT,
      publicFraction: input.publicFraction ?? DEFAULT_PUBLIC_FRACTION,
      prepared,
    });
  });
}

export interface UpdateChallengeInput {
  challengeId: string;
  title?: string;
  description?: string;
  deadline?: Date;
  dailyLimit?: number;
}

/** The instructor changes the title, description, deadline or daily limit (never the data or split). */
export async function updateChallenge(ctx: SignedInContext, input: UpdateChallengeInput): Promise<ChallengeView> {
  const { row } = await challengeForInstructor(ctx, input.challengeId);
  // Closing now is allowed (a minute's slack for the form's clock); a date further back is a typo.
  if (input.deadline && input.deadline.getTime() < nowOf(ctx).getTime() - 60_000) {
    throw new DomainError("invalidInput", "The deadline must be in the future", { key: "challenges.errors.deadlineInPast" });
  }
  await ctx.db.challenge.update({
    where: { id: row.id },
    data: {
      ...(input.title !== undefined ? { title: input.title.trim() } : {}),
      ...(input.description !== undefined ? { description: input.description.trim() } : {}),
      ...(input.deadline !== undefined ? { deadline: input.deadline } : {}),
      ...(input.dailyLimit !== undefined ? { dailyLimit: input.dailyLimit } : {}),
    },
  });
  bumpVersion(`challenge:${row.id}`);
  bumpVersion(`class:${row.classId}`);
  return getChallenge(ctx, row.id);
}

export async function deleteChallenge(ctx: SignedInContext, challengeId: string): Promise<void> {
  const { row } = await challengeForInstructor(ctx, challengeId);
  await ctx.db.challenge.delete({ where: { id: row.id } });
  forgetPlan(row.id);
  bumpVersion(`class:${row.classId}`);
}
