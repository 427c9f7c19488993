// The question model of live quizzes (issue 14 point 1): seven types, their zod schemas, the
// view a player may see (never the correct answer) and the checking of an answer. Pure: the
// server, the authoring UI and the tests share it.
import { z } from "zod";

export const QUESTION_TYPES = ["single", "multi", "truefalse", "numeric", "text", "order", "poll"] as const;
export type QuestionType = (typeof QUESTION_TYPES)[number];

/** Bounds: every list and string a question holds is bounded before anything walks it. */
export const QUESTION_LIMITS = {
  prompt: 500,
  option: 200,
  minOptions: 2,
  maxOptions: 6,
  maxMultiOptions: 8,
  maxOrderItems: 8,
  explanation: 2000,
  imageUrl: 2000,
  imageAlt: 300,
  code: 4000,
  codeLanguage: 30,
  acceptedVariants: 20,
  typedAnswer: 100,
  unit: 20,
  minTimeLimitSec: 5,
  maxTimeLimitSec: 240,
  maxQuestions: 100,
} as const;

export const POINTS_CHOICES = [0, 1000, 2000] as const;
export type QuestionPoints = (typeof POINTS_CHOICES)[number];

const text = (max: number) => z.string().trim().min(1).max(max);

/** An image shown with the question: a same-site path (/...) or an https URL; alt text required. */
export const questionImageSchema = z.object({
  src: z
    .string()
    .max(QUESTION_LIMITS.imageUrl)
    .refine((s) => (s.startsWith("/") && !s.startsWith("//")) || /^https:\/\/[^\s]+$/.test(s), "image src must be a /path or an https URL"),
  alt: text(QUESTION_LIMITS.imageAlt),
});

export const questionCodeSchema = z.object({
  language: z.string().trim().max(QUESTION_LIMITS.codeLanguage).regex(/^[a-z0-9+#-]*$/i).default(""),
  source: z.string().min(1).max(QUESTION_LIMITS.code),
});

const base = {
  prompt: text(QUESTION_LIMITS.prompt),
  /** Seconds to answer once the answers show. */
  timeLimitSec: z.number().int().min(QUESTION_LIMITS.minTimeLimitSec).max(QUESTION_LIMITS.maxTimeLimitSec).default(20),
  /** 0, 1,000 (standard) or 2,000 (double); a poll is always 0. */
  points: z.union([z.literal(0), z.literal(1000), z.literal(2000)]).default(1000),
  explanation: z.string().trim().max(QUESTION_LIMITS.explanation).optional(),
  image: questionImageSchema.optional(),
  code: questionCodeSchema.optional(),
};

const options = (max: number) => z.array(text(QUESTION_LIMITS.option)).min(QUESTION_LIMITS.minOptions).max(max);
const index = z.number().int().min(0).max(QUESTION_LIMITS.maxMultiOptions - 1);

export const singleQuestionSchema = z
  .object({ type: z.literal("single"), ...base, options: options(QUESTION_LIMITS.maxOptions), correct: index })
  .refine((q) => q.correct < q.options.length, { message: "the correct option must be one of the options", path: ["correct"] });

export const multiQuestionSchema = z
  .object({ type: z.literal("multi"), ...base, options: options(QUESTION_LIMITS.maxMultiOptions), correct: z.array(index).min(1).max(QUESTION_LIMITS.maxMultiOptions) })
  .refine((q) => q.correct.every((c) => c < q.options.length) && new Set(q.correct).size === q.correct.length, {
    message: "correct options must be distinct options",
    path: ["correct"],
  });

export const trueFalseQuestionSchema = z.object({ type: z.literal("truefalse"), ...base, correct: z.boolean() });

export const numericQuestionSchema = z.object({
  type: z.literal("numeric"),
  ...base,
  answer: z.number().finite(),
  /** Accepted when |given − answer| ≤ tolerance. */
  tolerance: z.number().finite().min(0).default(0),
  unit: z.string().trim().max(QUESTION_LIMITS.unit).optional(),
});

export const textQuestionSchema = z
  .object({ type: z.literal("text"), ...base, accepted: z.array(text(QUESTION_LIMITS.typedAnswer)).min(1).max(QUESTION_LIMITS.acceptedVariants) })
  .refine((q) => q.accepted.every((a) => normalizeTypedAnswer(a) !== ""), { message: "an accepted answer is empty once normalised", path: ["accepted"] });

/** `items` in the correct order; players see them shuffled (publicQuestion). */
export const orderQuestionSchema = z.object({ type: z.literal("order"), ...base, items: options(QUESTION_LIMITS.maxOrderItems) });

export const pollQuestionSchema = z.object({ type: z.literal("poll"), ...base, points: z.literal(0).default(0), options: options(QUESTION_LIMITS.maxOptions) });

export const questionSchema = z.union([
  singleQuestionSchema,
  multiQuestionSchema,
  trueFalseQuestionSchema,
  numericQuestionSchema,
  textQuestionSchema,
  orderQuestionSchema,
  pollQuestionSchema,
]);
export const questionListSchema = z.array(questionSchema).min(1).max(QUESTION_LIMITS.maxQuestions);

export type SingleQuestion = z.infer<typeof singleQuestionSchema>;
export type MultiQuestion = z.infer<typeof multiQuestionSchema>;
export type TrueFalseQuestion = z.infer<typeof trueFalseQuestionSchema>;
export type NumericQuestion = z.infer<typeof numericQuestionSchema>;
export type TextQuestion = z.infer<typeof textQuestionSchema>;
export type OrderQuestion = z.infer<typeof orderQuestionSchema>;
export type PollQuestion = z.infer<typeof pollQuestionSchema>;
/** A question with its answer: server-side only (and in the instructor's authoring UI). */
export type Question = z.infer<typeof questionSchema>;
/** What authors write (defaults not yet applied). */
export type QuestionInput = z.input<typeof questionSchema>;

// ---------------------------------------------------------------------------------------------
// Answers, as a player sends them.

const answerIndex = z.number().int().min(0).max(QUESTION_LIMITS.maxMultiOptions - 1);
export const answerSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("single"), choice: answerIndex }),
  z.object({ type: z.literal("multi"), choices: z.array(answerIndex).max(QUESTION_LIMITS.maxMultiOptions) }),
  z.object({ type: z.literal("truefalse"), value: z.boolean() }),
  z.object({ type: z.literal("numeric"), value: z.number().finite() }),
  z.object({ type: z.literal("text"), text: z.string().max(QUESTION_LIMITS.typedAnswer) }),
  /** Item indexes of the authored (correct) list, in the order the player put them. */
  z.object({ type: z.literal("order"), order: z.array(answerIndex).max(QUESTION_LIMITS.maxOrderItems) }),
  z.object({ type: z.literal("poll"), choice: answerIndex }),
]);
export type Answer = z.infer<typeof answerSchema>;

// ---------------------------------------------------------------------------------------------
// The player's view.

interface PublicBase {
  prompt: string;
  timeLimitSec: number;
  points: number;
  image?: { src: string; alt: string };
  code?: { language: string; source: string };
}
/** What a player (and the host screen, before the reveal) may see: no correct answer, no explanation. */
export type PublicQuestion =
  | (PublicBase & { type: "single" | "multi" | "poll"; options: string[]; /** multi: how many options are correct ("choose 2") */ correctCount?: number })
  | (PublicBase & { type: "truefalse" })
  | (PublicBase & { type: "numeric"; unit?: string })
  | (PublicBase & { type: "text" })
  | (PublicBase & { type: "order"; /** shuffled; `index` is what the answer's `order` lists */ items: { index: number; text: string }[] });

/** A small deterministic PRNG (mulberry32), so every player and the host see the same shuffle. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The order items as shown: shuffled by `seed`, never in the correct order. */
export function shuffledOrderItems(items: readonly string[], seed: number): { index: number; text: string }[] {
  const shown = items.map((t, i) => ({ index: i, text: t }));
  const rnd = mulberry32(seed);
  for (let i = shown.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [shown[i], shown[j]] = [shown[j], shown[i]];
  }
  if (shown.every((s, i) => s.index === i)) shown.push(shown.shift()!); // never give the answer away
  return shown;
}

/** The question as a player sees it. `seed` fixes the order items' shuffle (the game id + index). */
export function publicQuestion(q: Question, seed = 0): PublicQuestion {
  const common: PublicBase = { prompt: q.prompt, timeLimitSec: q.timeLimitSec, points: q.points };
  if (q.image) common.image = { src: q.image.src, alt: q.image.alt };
  if (q.code) common.code = { language: q.code.language, source: q.code.source };
  switch (q.type) {
    case "single":
    case "poll":
      return { ...common, type: q.type, options: [...q.options] };
    case "multi":
      return { ...common, type: "multi", options: [...q.options], correctCount: q.correct.length };
    case "truefalse":
      return { ...common, type: "truefalse" };
    case "numeric":
      return q.unit ? { ...common, type: "numeric", unit: q.unit } : { ...common, type: "numeric" };
    case "text":
      return { ...common, type: "text" };
    case "order":
      return { ...common, type: "order", items: shuffledOrderItems(q.items, seed) };
  }
}

/** The correct answer as revealed after the question closes (with the explanation). */
export type RevealedAnswer =
  | { type: "single"; correct: number }
  | { type: "multi"; correct: number[] }
  | { type: "truefalse"; correct: boolean }
  | { type: "numeric"; answer: number; tolerance: number }
  | { type: "text"; accepted: string[] }
  | { type: "order"; items: string[] }
  | { type: "poll" };

export function revealedAnswer(q: Question): RevealedAnswer {
  switch (q.type) {
    case "single":
      return { type: "single", correct: q.correct };
    case "multi":
      return { type: "multi", correct: [...q.correct].sort((a, b) => a - b) };
    case "truefalse":
      return { type: "truefalse", correct: q.correct };
    case "numeric":
      return { type: "numeric", answer: q.answer, tolerance: q.tolerance };
    case "text":
      return { type: "text", accepted: [...q.accepted] };
    case "order":
      return { type: "order", items: [...q.items] };
    case "poll":
      return { type: "poll" };
  }
}

// ---------------------------------------------------------------------------------------------
// Checking.

/**
 * A typed answer as compared: Unicode-decomposed with accents (combining marks) dropped, lower
 * case, whitespace runs collapsed to one space, trimmed. One pass over a bounded string.
 */
export function normalizeTypedAnswer(s: string): string {
  return s
    .slice(0, QUESTION_LIMITS.typedAnswer * 2)
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(/\s+/gu, " ")
    .trim();
}

export interface AnswerCheck {
  /** Fully right (what streaks and "share correct" count). A poll is never correct. */
  correct: boolean;
  /** Share of the points earned, 0..1 (a multiple select earns per correct option chosen). */
  fraction: number;
  /** The answer does not fit the question (wrong type, option out of range): refused, not scored. */
  invalid?: true;
}

const INVALID: AnswerCheck = { correct: false, fraction: 0, invalid: true };
const WRONG: AnswerCheck = { correct: false, fraction: 0 };
const RIGHT: AnswerCheck = { correct: true, fraction: 1 };

/**
 * Checks an answer against its question. Multiple select: each chosen correct option earns
 * 1/(number of correct options) of the points; any wrong option chosen makes the whole answer
 * wrong (Kahoot's rule: choosing everything earns nothing). Order: all or nothing.
 */
export function checkAnswer(q: Question, a: Answer): AnswerCheck {
  if (a.type !== q.type) return INVALID;
  switch (q.type) {
    case "single": {
      const choice = (a as { choice: number }).choice;
      if (choice >= q.options.length) return INVALID;
      return choice === q.correct ? RIGHT : WRONG;
    }
    case "poll": {
      const choice = (a as { choice: number }).choice;
      if (choice >= q.options.length) return INVALID;
      return WRONG;
    }
    case "multi": {
      const choices = (a as { choices: number[] }).choices;
      if (choices.length === 0 || choices.some((c) => c >= q.options.length) || new Set(choices).size !== choices.length) return INVALID;
      const correct = new Set(q.correct);
      let hits = 0;
      for (const c of choices) {
        if (!correct.has(c)) return WRONG;
        hits++;
      }
      return { correct: hits === correct.size, fraction: hits / correct.size };
    }
    case "truefalse":
      return (a as { value: boolean }).value === q.correct ? RIGHT : WRONG;
    case "numeric": {
      const v = (a as { value: number }).value;
      // A relative epsilon so 0.1 + 0.2 within tolerance 0.1 of 0.2 is not lost to rounding.
      const slack = 1e-9 * Math.max(1, Math.abs(q.answer));
      return Math.abs(v - q.answer) <= q.tolerance + slack ? RIGHT : WRONG;
    }
    case "text": {
      const given = normalizeTypedAnswer((a as { text: string }).text);
      if (given === "") return WRONG;
      return q.accepted.some((x) => normalizeTypedAnswer(x) === given) ? RIGHT : WRONG;
    }
    case "order": {
      const order = (a as { order: number[] }).order;
      if (order.length !== q.items.length || new Set(order).size !== order.length || order.some((i) => i >= q.items.length)) return INVALID;
      return order.every((v, i) => v === i) ? RIGHT : WRONG;
    }
  }
}

/**
 * The bucket of an answer in the host's distribution chart: the option index (single, poll,
 * true = 0 / false = 1), each chosen option (multi), or "correct"/"wrong" for typed kinds.
 */
export function answerBuckets(q: Question, a: Answer, check: AnswerCheck): (number | "correct" | "wrong")[] {
  switch (a.type) {
    case "single":
    case "poll":
      return [a.choice];
    case "multi":
      return [...a.choices];
    case "truefalse":
      return [a.value ? 0 : 1];
    default:
      return [check.correct ? "correct" : "wrong"];
  }
}
