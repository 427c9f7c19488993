// What a gradebook has columns for. One union of item kinds: an exercise graded on the server,
// a class's model challenge, and a quiz (a self-paced assignment or a live game played in the
// class); every switch over `kind` is exhaustive, so adding one is a type error until handled.
// Keys are the `GradeOverride.item` format: "exercise:<lessonSlug>/<exerciseId>", "challenge:<id>",
// "quiz:a/<assignmentId>", "quiz:g/<gameId>".

export interface ExerciseItem {
  kind: "exercise";
  key: string;
  lessonSlug: string;
  lessonTitle: string;
  exerciseId: string;
  title: string;
  /** Whether the item's score is a 0–1 grade that enters a student's total. */
  inTotal: boolean;
}

export interface ChallengeItem {
  kind: "challenge";
  key: string;
  challengeId: string;
  title: string;
  metric: string;
  higherIsBetter: boolean;
  deadline: Date;
  inTotal: boolean;
}

/** A quiz: points earned over the most a player can earn without streak bonuses (capped at 1). */
export interface QuizItem {
  kind: "quiz";
  key: string;
  source: "assignment" | "live";
  quizId: string;
  title: string;
  /** An assignment's deadline; a live game's is when it was played. */
  deadline: Date;
  maxScore: number;
  inTotal: boolean;
}

export type GradeItem = ExerciseItem | ChallengeItem | QuizItem;
export type GradeItemKind = GradeItem["kind"];
export const GRADE_ITEM_KINDS: readonly GradeItemKind[] = ["exercise", "challenge", "quiz"];

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const CHALLENGE_ID = /^[\w-]{1,64}$/;

export const itemKey = {
  exercise: (lessonSlug: string, exerciseId: string) => `exercise:${lessonSlug}/${exerciseId}`,
  challenge: (challengeId: string) => `challenge:${challengeId}`,
  quiz: (source: "assignment" | "live", id: string) => `quiz:${source === "assignment" ? "a" : "g"}/${id}`,
};

export type ParsedItemKey =
  | { kind: "exercise"; lessonSlug: string; exerciseId: string }
  | { kind: "challenge"; challengeId: string }
  | { kind: "quiz"; source: "assignment" | "live"; quizId: string };

/** The item a key names, or null for anything malformed (keys come from the browser too). */
export function parseItemKey(key: string): ParsedItemKey | null {
  if (key.length > 200) return null;
  if (key.startsWith("exercise:")) {
    const rest = key.slice("exercise:".length);
    const slash = rest.indexOf("/");
    if (slash < 0) return null;
    const lessonSlug = rest.slice(0, slash);
    const exerciseId = rest.slice(slash + 1);
    return SLUG.test(lessonSlug) && SLUG.test(exerciseId) ? { kind: "exercise", lessonSlug, exerciseId } : null;
  }
  if (key.startsWith("challenge:")) {
    const challengeId = key.slice("challenge:".length);
    return CHALLENGE_ID.test(challengeId) ? { kind: "challenge", challengeId } : null;
  }
  const quiz = /^quiz:([ag])\/([\w-]{1,64})$/.exec(key);
  if (quiz) return { kind: "quiz", source: quiz[1] === "a" ? "assignment" : "live", quizId: quiz[2] };
  return null;
}
