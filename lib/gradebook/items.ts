// What a gradebook has columns for. One union of item kinds: an exercise graded on the server,
// a class's model challenge, and (later) a live quiz joins as a third member with its own key
// prefix; every switch over `kind` is exhaustive, so adding one is a type error until handled.
// Keys are the `GradeOverride.item` format: "exercise:<lessonSlug>/<exerciseId>", "challenge:<id>".

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

export type GradeItem = ExerciseItem | ChallengeItem;
export type GradeItemKind = GradeItem["kind"];
export const GRADE_ITEM_KINDS: readonly GradeItemKind[] = ["exercise", "challenge"];

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const CHALLENGE_ID = /^[\w-]{1,64}$/;

export const itemKey = {
  exercise: (lessonSlug: string, exerciseId: string) => `exercise:${lessonSlug}/${exerciseId}`,
  challenge: (challengeId: string) => `challenge:${challengeId}`,
};

export type ParsedItemKey = { kind: "exercise"; lessonSlug: string; exerciseId: string } | { kind: "challenge"; challengeId: string };

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
  return null;
}
