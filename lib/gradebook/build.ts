// Students × items from the rows the service read: one cell per (student, item) and a total per
// student. Pure; the service decides which rows a caller may see and this never widens that.
import { challengeGrade, exerciseGrade, gradeCell, quizGrade, studentTotal, type ChallengeEntry, type ExerciseAttempt, type GradeCell, type OverrideEntry, type QuizEntry, type StudentTotal } from "./grades";
import { itemKey, type ChallengeItem, type ExerciseItem, type GradeItem, type QuizItem } from "./items";

export interface GradebookRows {
  /** The course's graded exercises, in course order. */
  exercises: readonly ExerciseItem[];
  challenges: readonly ChallengeItem[];
  students: readonly { id: string; name: string; email: string }[];
  /** lessonSlug → due instant. */
  deadlines: ReadonlyMap<string, Date>;
  submissions: readonly (ExerciseAttempt & { userId: string; lessonSlug: string; exerciseId: string })[];
  challengeEntries: readonly (ChallengeEntry & { userId: string; challengeId: string })[];
  /** The class's quizzes (self-paced assignments, then live games), oldest first, and their results. */
  quizzes?: readonly QuizItem[];
  quizEntries?: readonly (QuizEntry & { userId: string; itemKey: string })[];
  /** In creation order. */
  overrides: readonly (OverrideEntry & { studentId: string; item: string })[];
  /** lessonSlug → title, to label exercises submitted that the course no longer lists. */
  lessonTitles: ReadonlyMap<string, string>;
  now: Date;
}

export interface GradebookStudent {
  id: string;
  name: string;
  email: string;
  cells: Record<string, GradeCell>;
  total: StudentTotal;
  /** itemKey → every override, oldest first (only when asked for). */
  history?: Record<string, OverrideEntry[]>;
}

export interface Gradebook {
  items: GradeItem[];
  students: GradebookStudent[];
  deadlines: { lessonSlug: string; dueAt: Date }[];
}

function groupBy<T>(rows: readonly T[], key: (r: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const r of rows) {
    const k = key(r);
    const list = m.get(k);
    if (list) list.push(r);
    else m.set(k, [r]);
  }
  return m;
}

/**
 * Items: the course's exercises, then exercises that have submissions but are no longer in the
 * course (so a grade never silently disappears), then the class's challenges, then its quizzes.
 */
export function gradebookItems(rows: Pick<GradebookRows, "exercises" | "challenges" | "submissions" | "lessonTitles" | "quizzes">): GradeItem[] {
  const known = new Set(rows.exercises.map((e) => e.key));
  const extra = new Map<string, ExerciseItem>();
  for (const s of rows.submissions) {
    const key = itemKey.exercise(s.lessonSlug, s.exerciseId);
    if (known.has(key) || extra.has(key)) continue;
    extra.set(key, {
      kind: "exercise", key, lessonSlug: s.lessonSlug, exerciseId: s.exerciseId, title: s.exerciseId,
      lessonTitle: rows.lessonTitles.get(s.lessonSlug) ?? s.lessonSlug, inTotal: true,
    });
  }
  const extras = [...extra.values()].sort((a, b) => a.key.localeCompare(b.key));
  return [...rows.exercises, ...extras, ...rows.challenges, ...(rows.quizzes ?? [])];
}

export function buildGradebook(rows: GradebookRows, options: { withHistory?: boolean } = {}): Gradebook {
  const items = gradebookItems(rows);
  const subs = groupBy(rows.submissions, (s) => `${s.userId}\0${itemKey.exercise(s.lessonSlug, s.exerciseId)}`);
  const entries = groupBy(rows.challengeEntries, (e) => `${e.userId}\0${itemKey.challenge(e.challengeId)}`);
  const quizEntries = groupBy(rows.quizEntries ?? [], (e) => `${e.userId}\0${e.itemKey}`);
  const overrides = groupBy(rows.overrides, (o) => `${o.studentId}\0${o.item}`);
  const students = rows.students.map((st): GradebookStudent => {
    const cells: Record<string, GradeCell> = {};
    const history: Record<string, OverrideEntry[]> = {};
    for (const item of items) {
      const k = `${st.id}\0${item.key}`;
      let computed;
      switch (item.kind) {
        case "exercise":
          computed = exerciseGrade(subs.get(k) ?? [], rows.deadlines.get(item.lessonSlug) ?? null);
          break;
        case "challenge":
          computed = challengeGrade(entries.get(k) ?? [], { deadline: item.deadline, now: rows.now, higherIsBetter: item.higherIsBetter });
          break;
        case "quiz":
          computed = quizGrade(quizEntries.get(k) ?? [], { maxScore: item.maxScore, deadline: item.deadline, now: rows.now });
          break;
        default: {
          const never: never = item;
          throw new Error(`unknown item ${String(never)}`);
        }
      }
      const own = (overrides.get(k) ?? []).map(({ score, comment, createdAt, createdByName }) => ({ score, comment, createdAt, createdByName }));
      cells[item.key] = gradeCell(computed, own);
      if (options.withHistory && own.length > 0) history[item.key] = own;
    }
    return { id: st.id, name: st.name, email: st.email, cells, total: studentTotal(items, cells), ...(options.withHistory ? { history } : {}) };
  });
  const deadlines = [...rows.deadlines].map(([lessonSlug, dueAt]) => ({ lessonSlug, dueAt }));
  return { items, students, deadlines };
}
