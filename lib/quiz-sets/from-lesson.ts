// A lesson's self-check quiz block as live questions (issue 14 point 1): every ~~~quiz question
// becomes a question of lib/live's model, so any lesson's quiz is playable live as it is written.
// One correct option → single choice; several → multiple select (points per correct option);
// exactly the two options true/false (es or en) → true/false. Pure.
import { QUESTION_LIMITS, questionSchema, type Question } from "@/lib/live/questions";
import type { QuizQuestion } from "@/lib/notebook/types";

export interface LessonQuestionDefaults {
  timeLimitSec?: number;
  points?: 0 | 1000 | 2000;
}

/** Why a lesson question cannot be played live (the converter never guesses around it). */
export class LessonQuestionProblem extends Error {
  constructor(
    readonly code: "tooManyOptions" | "tooLong" | "invalid",
    message: string,
  ) {
    super(message);
    this.name = "LessonQuestionProblem";
  }
}

const TRUE_WORDS = new Set(["verdadero", "true", "cierto", "sí", "si", "yes"]);
const FALSE_WORDS = new Set(["falso", "false", "no"]);
const fold = (s: string) => s.trim().replace(/[.¡!¿?]+$/u, "").toLowerCase();

/** True/false when the two options are exactly a true word and a false word (in either order). */
function trueFalseAnswer(q: QuizQuestion): boolean | null {
  if (q.options.length !== 2) return null;
  const [a, b] = q.options.map((o) => fold(o.text));
  const correct = q.options.filter((o) => o.correct);
  if (correct.length !== 1) return null;
  const truthIndex = TRUE_WORDS.has(a) && FALSE_WORDS.has(b) ? 0 : TRUE_WORDS.has(b) && FALSE_WORDS.has(a) ? 1 : -1;
  if (truthIndex < 0) return null;
  return q.options[truthIndex].correct;
}

/** One lesson question as a live question (defaults: 20 s, 1,000 points). */
export function lessonQuestionToLive(q: QuizQuestion, defaults: LessonQuestionDefaults = {}): Question {
  const common = {
    prompt: q.prompt,
    // A question's own live settings (`@ time=… points=…` in the lesson) come first.
    timeLimitSec: q.timeLimitSec ?? defaults.timeLimitSec ?? 20,
    points: q.points ?? defaults.points ?? 1000,
    ...(q.explanation ? { explanation: q.explanation } : {}),
  };
  if (q.prompt.length > QUESTION_LIMITS.prompt) throw new LessonQuestionProblem("tooLong", `the question is longer than ${QUESTION_LIMITS.prompt} characters`);
  const tf = trueFalseAnswer(q);
  const correct = q.options.flatMap((o, i) => (o.correct ? [i] : []));
  let input: unknown;
  if (tf !== null) input = { type: "truefalse", ...common, correct: tf };
  else if (correct.length === 1) {
    if (q.options.length > QUESTION_LIMITS.maxOptions) throw new LessonQuestionProblem("tooManyOptions", `a single-choice question has at most ${QUESTION_LIMITS.maxOptions} options live`);
    input = { type: "single", ...common, options: q.options.map((o) => o.text), correct: correct[0] };
  } else {
    if (q.options.length > QUESTION_LIMITS.maxMultiOptions) throw new LessonQuestionProblem("tooManyOptions", `a multiple-select question has at most ${QUESTION_LIMITS.maxMultiOptions} options live`);
    input = { type: "multi", ...common, options: q.options.map((o) => o.text), correct };
  }
  const parsed = questionSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const tooLong = issue?.code === "too_big";
    throw new LessonQuestionProblem(tooLong ? "tooLong" : "invalid", `${issue?.path.join(".") ?? ""} ${issue?.message ?? "invalid question"}`.trim());
  }
  return parsed.data;
}

/** Every question of a quiz block, in order. */
export function lessonQuizToLive(questions: readonly QuizQuestion[], defaults: LessonQuestionDefaults = {}): Question[] {
  return questions.map((q) => lessonQuestionToLive(q, defaults));
}
