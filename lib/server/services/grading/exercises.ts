// Server-graded lesson exercises (issue 12, point 2): a student submits a cell, the server runs
// it in the sandbox against the hidden tests, caps the score by the hints and the reveal it
// recorded itself, and stores the attempt. Hints and the solution are handed out here, one at a
// time, and recorded (ExerciseEvent "hint" / "reveal"). Nothing hidden (a case's arguments or
// expected value, the sandbox's raw output) is ever returned to the student.
import { capScore, gradeExercise, MAX_SUBMISSION_CHARS, type GradingPolicy, type PreparedExercise } from "@/lib/grading/grade-exercise";
import type { CaseGrade, Grade } from "@/lib/grading/exercises";
import type { SandboxLimit } from "@/lib/grading/sandbox/protocol";
import { capReason, type CapReason } from "@/lib/grading/submission-view";
import type { Locale } from "@/lib/i18n/routing";
import { DomainError } from "@/lib/server/errors";
import { PerKeyQueue, QueueFullError } from "@/lib/server/per-key-queue";
import { processWide } from "@/lib/server/process-wide";
import { nowOf, type SignedInContext } from "@/lib/server/services/context";
import { exerciseOrThrow, gradingPool, preparedExercise, resolveLessonOrThrow, type LoadedLesson } from "./lessons";

/** The raw sandbox result kept for the instructor is cut to this many characters. */
export const MAX_DETAIL_CHARS = 16 * 1024;

/** A student's submissions running or waiting at once; one more is refused (rateLimited). */
export const MAX_WAITING_PER_STUDENT = 64;

// One submission at a time per student: a student's burst takes one sandbox child at a time, not
// the whole pool, and attempts are numbered in the order they were sent.
const perStudent = processWide("grading.perStudent", () => new PerKeyQueue(MAX_WAITING_PER_STUDENT));

export interface ExerciseRef {
  lessonSlug: string;
  locale: Locale;
  exerciseId: string;
}


export interface SubmissionView {
  attempt: number;
  status: Grade["status"];
  limit?: SandboxLimit;
  score: number;
  rawScore: number;
  passed: number;
  total: number;
  cases: CaseGrade[];
  message: string;
  capped: CapReason | null;
  hintsUsed: number;
  revealed: boolean;
  late: boolean;
  createdAt: Date;
}

/** A submission that was not graded (nothing stored, no attempt used). */
export interface NotGraded {
  attempt: null;
  status: "busy" | "unavailable";
  message: string;
}

export type SubmitResult = SubmissionView | NotGraded;

interface Used {
  /** Distinct hint indices taken, ascending. */
  hints: number[];
  revealed: boolean;
}

async function usedOn(ctx: SignedInContext, lessonSlug: string, exerciseId: string): Promise<Used> {
  const events = await ctx.db.exerciseEvent.findMany({
    where: { userId: ctx.user.id, lessonSlug, exerciseId, kind: { in: ["hint", "reveal"] } },
    select: { kind: true, detail: true },
  });
  const hints = new Set<number>();
  let revealed = false;
  for (const e of events) {
    if (e.kind === "reveal") revealed = true;
    else if (e.detail !== null && /^\d{1,3}$/.test(e.detail)) hints.add(Number(e.detail));
  }
  return { hints: [...hints].sort((a, b) => a - b), revealed };
}

/**
 * The student's class for this lesson's gradebook, with its deadline for the lesson: the class the
 * page named (`?class=`) if the student belongs to it, else the class they joined last (as
 * lessonClassFor in services/classes picks, but only classes they are a student of: an
 * instructor's own tries stay out of their gradebook). One query in the usual case.
 */
async function gradebookClass(ctx: SignedInContext, requested: string | null | undefined, lessonSlug: string): Promise<{ classId: string; dueAt: Date | null } | null> {
  const select = { classId: true, class: { select: { deadlines: { where: { lessonSlug }, select: { dueAt: true } } } } } as const;
  const named =
    requested && /^[\w-]{1,64}$/.test(requested)
      ? await ctx.db.membership.findFirst({ where: { userId: ctx.user.id, classId: requested }, select })
      : null;
  const m = named ?? (await ctx.db.membership.findFirst({ where: { userId: ctx.user.id }, orderBy: [{ joinedAt: "desc" }, { id: "desc" }], select }));
  return m ? { classId: m.classId, dueAt: m.class.deadlines[0]?.dueAt ?? null } : null;
}

const isUniqueViolation = (e: unknown) => typeof e === "object" && e !== null && (e as { code?: string }).code === "P2002";

function parseCases(json: string): CaseGrade[] {
  try {
    const v = JSON.parse(json) as unknown;
    return Array.isArray(v) ? (v as CaseGrade[]) : [];
  } catch {
    return [];
  }
}

const submissionSelect = {
  attempt: true,
  status: true,
  score: true,
  rawScore: true,
  passed: true,
  total: true,
  cases: true,
  message: true,
  hintsUsed: true,
  revealed: true,
  late: true,
  createdAt: true,
} as const;

type SubmissionRow = {
  attempt: number;
  status: string;
  score: number;
  rawScore: number;
  passed: number;
  total: number;
  cases: string;
  message: string;
  hintsUsed: number;
  revealed: boolean;
  late: boolean;
  createdAt: Date;
};

function toView(row: SubmissionRow, policy: GradingPolicy, limit?: SandboxLimit): SubmissionView {
  return {
    attempt: row.attempt,
    status: row.status as Grade["status"],
    ...(limit ? { limit } : {}),
    score: row.score,
    rawScore: row.rawScore,
    passed: row.passed,
    total: row.total,
    cases: parseCases(row.cases),
    message: row.message,
    capped: capReason(row.rawScore, row.score, { hints: row.hintsUsed, revealed: row.revealed }, policy),
    hintsUsed: row.hintsUsed,
    revealed: row.revealed,
    late: row.late,
    createdAt: row.createdAt,
  };
}

/** Grades a submission against the hidden tests and stores it as the next attempt. */
export async function submit(ctx: SignedInContext, input: ExerciseRef & { code: string; classId?: string | null }): Promise<SubmitResult> {
  if (input.code.length > MAX_SUBMISSION_CHARS) throw new DomainError("invalidInput", `The code is longer than ${MAX_SUBMISSION_CHARS / 1024} KB`, { key: "exercises.errors.tooLong" });
  const lesson = await resolveLessonOrThrow(ctx, input.lessonSlug, input.locale);
  const preparing = preparedExercise(lesson, input.exerciseId); // throws at once for an unknown or ungraded exercise
  preparing.catch(() => undefined); // reported in gradeAndStore
  try {
    return await perStudent.run(ctx.user.id, () => gradeAndStore(ctx, input, lesson, preparing));
  } catch (e) {
    if (e instanceof QueueFullError) {
      throw new DomainError("rateLimited", `${e.waiting} of your submissions are still being graded; wait for them`, { key: "exercises.errors.rateLimited" });
    }
    throw e;
  }
}

async function gradeAndStore(
  ctx: SignedInContext,
  input: ExerciseRef & { code: string; classId?: string | null },
  lesson: LoadedLesson,
  preparing: Promise<PreparedExercise>,
): Promise<SubmitResult> {
  let prepared;
  try {
    prepared = await preparing;
  } catch (e) {
    console.error(`grading: could not prepare ${input.lessonSlug}/${input.exerciseId} (${input.locale}):`, e);
    return { attempt: null, status: "unavailable", message: "The grader could not prepare this exercise; try again in a moment" };
  }
  // What the server recorded (hints, a reveal) and the student's class, read while the sandbox works.
  const now = nowOf(ctx);
  const lookups = Promise.all([usedOn(ctx, input.lessonSlug, input.exerciseId), gradebookClass(ctx, input.classId, input.lessonSlug)]);
  lookups.catch(() => undefined);
  const started = performance.now();
  const { grade, detail } = await gradeExercise(gradingPool(), prepared, input.code);
  const durationMs = Math.round(performance.now() - started);
  if (grade.status === "busy") return { attempt: null, status: "busy", message: grade.message };

  const [used, cls] = await lookups;
  const usage = { hints: used.hints.length, revealed: used.revealed };
  const score = capScore(grade.score, usage, lesson.policy);
  const classId = cls?.classId ?? null;
  const detailJson = JSON.stringify(detail);
  const data = {
    userId: ctx.user.id,
    classId,
    lessonSlug: input.lessonSlug,
    exerciseId: input.exerciseId,
    kind: prepared.kind,
    code: input.code,
    status: grade.status,
    passed: grade.passed,
    total: grade.total,
    rawScore: grade.score,
    score,
    cases: JSON.stringify(grade.cases),
    message: grade.message,
    detail: detailJson.length > MAX_DETAIL_CHARS ? detailJson.slice(0, MAX_DETAIL_CHARS) : detailJson,
    hintsUsed: usage.hints,
    revealed: usage.revealed,
    late: cls?.dueAt ? now > cls.dueAt : false,
    durationMs,
    createdAt: now,
  };
  // attempt = previous count + 1. One process runs a student's submissions one at a time; where
  // several server processes share the database, the unique (user, lesson, exercise, attempt)
  // index makes the loser of a race take the next number.
  for (let tries = 0; ; tries++) {
    const previous = await ctx.db.submission.count({ where: { userId: ctx.user.id, lessonSlug: input.lessonSlug, exerciseId: input.exerciseId } });
    try {
      const row = await ctx.db.submission.create({ data: { ...data, attempt: previous + 1 }, select: submissionSelect });
      return toView(row, lesson.policy, grade.limit);
    } catch (e) {
      if (!isUniqueViolation(e) || tries >= 20) throw e;
    }
  }
}

/** What taking hints and revealing the solution costs under a policy. */
export interface CostView {
  hintCost: number;
  revealedCap: number;
  /** The highest score reachable now. */
  maxScore: number;
}

function costView(policy: GradingPolicy, used: Used): CostView {
  return { hintCost: policy.hintCost, revealedCap: policy.revealedCap, maxScore: capScore(1, { hints: used.hints.length, revealed: used.revealed }, policy) };
}

/** Hands out hint `index` (0-based) and records it, once per index. */
export async function takeHint(ctx: SignedInContext, input: ExerciseRef & { index: number }): Promise<{ index: number; total: number; text: string; hintsUsed: number; cost: CostView }> {
  const lesson = await resolveLessonOrThrow(ctx, input.lessonSlug, input.locale);
  const cell = exerciseOrThrow(lesson, input.exerciseId);
  if (!Number.isInteger(input.index) || input.index < 0 || input.index >= cell.hints.length) {
    throw new DomainError("invalidInput", cell.hints.length ? `This exercise has hints 1 to ${cell.hints.length}` : "This exercise has no hints");
  }
  const before = await usedOn(ctx, input.lessonSlug, input.exerciseId);
  if (!before.hints.includes(input.index)) {
    await ctx.db.exerciseEvent.create({
      data: { userId: ctx.user.id, lessonSlug: input.lessonSlug, exerciseId: input.exerciseId, kind: "hint", detail: String(input.index) },
    });
  }
  const used = await usedOn(ctx, input.lessonSlug, input.exerciseId);
  return { index: input.index, total: cell.hints.length, text: cell.hints[input.index]!, hintsUsed: used.hints.length, cost: costView(lesson.policy, used) };
}

/** Hands out the reference solution and records the reveal (once). */
export async function revealSolution(ctx: SignedInContext, input: ExerciseRef): Promise<{ solution: string; cost: CostView }> {
  const lesson = await resolveLessonOrThrow(ctx, input.lessonSlug, input.locale);
  const cell = exerciseOrThrow(lesson, input.exerciseId);
  if (!cell.solution) throw new DomainError("invalidInput", "This exercise has no solution to show");
  const before = await usedOn(ctx, input.lessonSlug, input.exerciseId);
  if (!before.revealed) {
    await ctx.db.exerciseEvent.create({ data: { userId: ctx.user.id, lessonSlug: input.lessonSlug, exerciseId: input.exerciseId, kind: "reveal" } });
  }
  return { solution: cell.solution, cost: costView(lesson.policy, { ...before, revealed: true }) };
}

export interface MyExercise {
  exerciseId: string;
  /** Hint indices taken; their texts when a locale was given. */
  hints: { index: number; text: string | null }[];
  revealed: boolean;
  /** The solution when it was revealed and a locale was given. */
  solution: string | null;
  maxScore: number;
  submissions: SubmissionView[];
}

/** The caller's own submissions, hints and reveals in a lesson (never anyone else's). */
export async function mine(ctx: SignedInContext, input: { lessonSlug: string; locale?: Locale }): Promise<{ policy: GradingPolicy; exercises: MyExercise[] }> {
  const lesson = await resolveLessonOrThrow(ctx, input.lessonSlug, input.locale ?? "es");
  const [rows, events] = await Promise.all([
    ctx.db.submission.findMany({
      where: { userId: ctx.user.id, lessonSlug: input.lessonSlug },
      select: { ...submissionSelect, exerciseId: true },
      orderBy: [{ exerciseId: "asc" }, { attempt: "asc" }],
    }),
    ctx.db.exerciseEvent.findMany({
      where: { userId: ctx.user.id, lessonSlug: input.lessonSlug, kind: { in: ["hint", "reveal"] } },
      select: { exerciseId: true, kind: true, detail: true },
    }),
  ]);
  const ids = new Set<string>([...rows.map((r) => r.exerciseId), ...events.map((e) => e.exerciseId)]);
  const exercises: MyExercise[] = [];
  for (const exerciseId of [...ids].sort()) {
    const cell = lesson.full.cells.find((c) => c.kind === "exercise" && c.id === exerciseId);
    const own = events.filter((e) => e.exerciseId === exerciseId);
    const hintIdx = [...new Set(own.filter((e) => e.kind === "hint" && e.detail !== null && /^\d{1,3}$/.test(e.detail)).map((e) => Number(e.detail)))].sort((a, b) => a - b);
    const revealed = own.some((e) => e.kind === "reveal");
    const withText = input.locale !== undefined && cell?.kind === "exercise";
    exercises.push({
      exerciseId,
      hints: hintIdx.map((index) => ({ index, text: withText && cell.kind === "exercise" ? (cell.hints[index] ?? null) : null })),
      revealed,
      solution: revealed && withText && cell.kind === "exercise" ? cell.solution : null,
      maxScore: capScore(1, { hints: hintIdx.length, revealed }, lesson.policy),
      submissions: rows.filter((r) => r.exerciseId === exerciseId).map((r) => toView(r, lesson.policy)),
    });
  }
  return { policy: lesson.policy, exercises };
}

