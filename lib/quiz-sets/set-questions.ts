// What a quiz set stores: its questions in lib/live's model, each remembering the lesson quiz it
// was taken from (if any), so the editor can say where a question came from. Pure.
import { z } from "zod";
import { QUESTION_LIMITS, questionSchema, type Question } from "@/lib/live/questions";

export const QUIZ_SET_LIMITS = { title: 120, maxQuestions: QUESTION_LIMITS.maxQuestions } as const;

export const questionOriginSchema = z.object({
  lessonSlug: z.string().regex(/^[a-z0-9-]{1,80}$/),
  quizId: z.string().regex(/^[\w-]{1,80}$/),
  index: z.number().int().min(0).max(QUESTION_LIMITS.maxQuestions),
});
export type QuestionOrigin = z.infer<typeof questionOriginSchema>;

export const setItemSchema = z.object({ question: questionSchema, origin: questionOriginSchema.optional() });
export type SetItem = z.infer<typeof setItemSchema>;

export const setItemsSchema = z.array(setItemSchema).max(QUIZ_SET_LIMITS.maxQuestions);

/** Reads a stored list (written by the service after validation); a corrupt row reads as empty. */
export function readSetItems(json: string): SetItem[] {
  try {
    const parsed = setItemsSchema.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : [];
  } catch {
    return [];
  }
}

export const questionsOf = (items: readonly SetItem[]): Question[] => items.map((i) => i.question);

/** The most points one player can earn on these questions (without streak bonuses): the grade's 100 %. */
export function maxBasePoints(questions: readonly Question[]): number {
  return questions.reduce((sum, q) => sum + (q.type === "poll" ? 0 : q.points), 0);
}
