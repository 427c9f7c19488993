// Quiz sets: an instructor's own quizzes, assembled from lesson quiz blocks and questions written
// in the app. Only the owner sees or changes a set (anyone else: notFound). Every write is checked
// against lib/live's question model; a bad question is refused with its position and changes nothing.
import type { Locale } from "@/lib/i18n/routing";
import { DomainError } from "@/lib/server/errors";
import type { SignedInContext } from "@/lib/server/services/context";
import { lessonQuizzes, type LessonQuiz } from "@/lib/quiz-sets/lesson-quizzes";
import { QUIZ_SET_LIMITS, readSetItems, setItemSchema, type SetItem } from "@/lib/quiz-sets/set-questions";

export interface QuizSetSummary {
  id: string;
  title: string;
  locale: Locale;
  questionCount: number;
  updatedAt: Date;
}

export interface QuizSetView extends QuizSetSummary {
  items: SetItem[];
}

export const quizError = (code: "invalidInput" | "notFound" | "forbidden" | "conflict" | "rateLimited", key: string, params?: Record<string, string | number>, message?: string) =>
  new DomainError(code, message ?? key, { key: `quiz.errors.${key}`, params });

function instructorOnly(ctx: SignedInContext): void {
  if (ctx.user.role !== "instructor") throw new DomainError("forbidden");
}

const asLocale = (s: string): Locale => (s === "en" ? "en" : "es");

/** Checks items one by one so the refusal names the question at fault (1-based) and the field. */
export function parseItemsOrThrow(raw: readonly unknown[]): SetItem[] {
  if (raw.length > QUIZ_SET_LIMITS.maxQuestions) throw quizError("invalidInput", "tooManyQuestions", { max: QUIZ_SET_LIMITS.maxQuestions });
  return raw.map((item, i) => {
    const parsed = setItemSchema.safeParse(item);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue?.path.filter((p) => p !== "question").join(".") || "question";
      throw quizError("invalidInput", "invalidQuestion", { n: i + 1, field }, `question ${i + 1}: ${field} ${issue?.message ?? "invalid"}`);
    }
    return parsed.data;
  });
}

async function ownSetOrThrow(ctx: SignedInContext, id: string) {
  const row = await ctx.db.quizSet.findFirst({ where: { id, ownerId: ctx.user.id }, select: { id: true, title: true, locale: true, questions: true, updatedAt: true } });
  if (!row) throw new DomainError("notFound");
  return row;
}

function toView(row: { id: string; title: string; locale: string; questions: string; updatedAt: Date }): QuizSetView {
  const items = readSetItems(row.questions);
  return { id: row.id, title: row.title, locale: asLocale(row.locale), questionCount: items.length, updatedAt: row.updatedAt, items };
}

export async function listQuizSets(ctx: SignedInContext): Promise<QuizSetSummary[]> {
  instructorOnly(ctx);
  const rows = await ctx.db.quizSet.findMany({ where: { ownerId: ctx.user.id }, select: { id: true, title: true, locale: true, questions: true, updatedAt: true }, orderBy: { updatedAt: "desc" } });
  return rows.map((r) => {
    const { items: _items, ...summary } = toView(r);
    return summary;
  });
}

export async function getQuizSet(ctx: SignedInContext, id: string): Promise<QuizSetView> {
  instructorOnly(ctx);
  return toView(await ownSetOrThrow(ctx, id));
}

export async function createQuizSet(ctx: SignedInContext, input: { title: string; locale: Locale; items?: unknown[] }): Promise<QuizSetView> {
  instructorOnly(ctx);
  const items = parseItemsOrThrow(input.items ?? []);
  const row = await ctx.db.quizSet.create({
    data: { ownerId: ctx.user.id, title: input.title.trim(), locale: input.locale, questions: JSON.stringify(items) },
    select: { id: true, title: true, locale: true, questions: true, updatedAt: true },
  });
  return toView(row);
}

/** A whole new question list (the editor saves the set as shown) and/or a new title. */
export async function updateQuizSet(ctx: SignedInContext, input: { id: string; title?: string; items?: unknown[] }): Promise<QuizSetView> {
  instructorOnly(ctx);
  await ownSetOrThrow(ctx, input.id);
  const items = input.items ? parseItemsOrThrow(input.items) : undefined;
  const row = await ctx.db.quizSet.update({
    where: { id: input.id },
    data: { ...(input.title !== undefined ? { title: input.title.trim() } : {}), ...(items ? { questions: JSON.stringify(items) } : {}) },
    select: { id: true, title: true, locale: true, questions: true, updatedAt: true },
  });
  return toView(row);
}

/** Appends one lesson's quiz block (all its questions, or the ones at `indexes`). */
export async function addLessonQuestions(ctx: SignedInContext, input: { id: string; lessonSlug: string; quizId: string; indexes?: number[] }): Promise<QuizSetView> {
  instructorOnly(ctx);
  const row = await ownSetOrThrow(ctx, input.id);
  const quiz = lessonQuizzes(asLocale(row.locale)).find((q) => q.lessonSlug === input.lessonSlug && q.quizId === input.quizId);
  if (!quiz) throw quizError("notFound", "unknownLessonQuiz", { lesson: input.lessonSlug });
  const picked = (input.indexes ?? quiz.questions.map((_, i) => i)).filter((i, k, all) => i >= 0 && i < quiz.questions.length && all.indexOf(i) === k);
  const items = [...readSetItems(row.questions), ...picked.map((index): SetItem => ({ question: quiz.questions[index], origin: { lessonSlug: quiz.lessonSlug, quizId: quiz.quizId, index } }))];
  return updateQuizSet(ctx, { id: input.id, items });
}

export async function deleteQuizSet(ctx: SignedInContext, id: string): Promise<{ id: string }> {
  instructorOnly(ctx);
  await ownSetOrThrow(ctx, id);
  await ctx.db.quizSet.delete({ where: { id } });
  return { id };
}

/** The course's quiz blocks as live questions, to pick from (instructors: they hold the answers). */
export function lessonQuestionBank(ctx: SignedInContext, locale: Locale): LessonQuiz[] {
  instructorOnly(ctx);
  return lessonQuizzes(locale);
}

/** The questions a game or an assignment plays: a set's (owner only) or a lesson quiz block's. */
export async function resolveQuestionsOrThrow(ctx: SignedInContext, source: { quizSetId: string } | { lessonSlug: string; quizId?: string; locale: Locale }) {
  instructorOnly(ctx);
  if ("quizSetId" in source) {
    const set = await getQuizSet(ctx, source.quizSetId);
    if (set.items.length === 0) throw quizError("invalidInput", "emptySet");
    return { title: set.title, questions: set.items.map((i) => i.question), quizSetId: set.id, lessonSlug: null as string | null };
  }
  const quiz = lessonQuizzes(source.locale).find((q) => q.lessonSlug === source.lessonSlug && (source.quizId === undefined || q.quizId === source.quizId));
  if (!quiz) throw quizError("notFound", "unknownLessonQuiz", { lesson: source.lessonSlug });
  return { title: quiz.lessonTitle, questions: quiz.questions, quizSetId: null as string | null, lessonSlug: quiz.lessonSlug };
}
