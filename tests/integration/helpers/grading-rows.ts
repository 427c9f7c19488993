// Rows that other parts of grading write (exercise submissions, challenges and their entries),
// inserted directly so gradebook tests do not depend on the sandbox or the challenge scorer.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Db } from "@/lib/server/db";

let seq = 0;

export async function insertSubmission(
  db: Db,
  row: { userId: string; classId: string | null; lessonSlug: string; exerciseId: string; score: number; createdAt?: Date; status?: string; hintsUsed?: number; revealed?: boolean; code?: string; detail?: string },
) {
  seq += 1;
  return db.submission.create({
    data: {
      userId: row.userId, classId: row.classId, lessonSlug: row.lessonSlug, exerciseId: row.exerciseId, attempt: seq, kind: "function",
      code: row.code ?? "function f() { return 1; }", status: row.status ?? "graded", passed: Math.round(row.score * 4), total: 4,
      rawScore: row.score, score: row.score, cases: "[]", message: "", detail: row.detail ?? null,
      hintsUsed: row.hintsUsed ?? 0, revealed: row.revealed ?? false, createdAt: row.createdAt ?? new Date(),
    },
  });
}

export async function insertChallenge(db: Db, row: { classId: string; createdById: string; title: string; metric: string; deadline: Date }) {
  return db.challenge.create({
    data: {
      classId: row.classId, createdById: row.createdById, title: row.title, targetColumn: "is_fraud", idColumn: "id", metric: row.metric,
      deadline: row.deadline, rowCount: 10,
      data: { create: { featuresCsv: "id,x\n1,0.5\n", ids: '["1"]', labels: '["HIDDEN_LABEL_1"]', publicMask: "[true]" } },
    },
    select: { id: true },
  });
}

export async function insertChallengeEntry(
  db: Db,
  row: { challengeId: string; userId: string; publicScore: number; privateScore: number; selected?: boolean; createdAt?: Date },
) {
  return db.challengeSubmission.create({
    data: {
      challengeId: row.challengeId, userId: row.userId, source: "csv", publicScore: row.publicScore, privateScore: row.privateScore,
      selected: row.selected ?? false, day: "2026-05-01", rows: 10, sha256: "0".repeat(64), createdAt: row.createdAt ?? new Date(),
    },
  });
}

/** A lessons folder with one lesson ("fixture-grading") holding two graded exercises and one that is not. */
export function fixtureLessonsDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "cuaderno-lessons-"));
  const lesson = join(dir, "fixture-grading");
  mkdirSync(lesson);
  writeFileSync(
    join(lesson, "meta.json"),
    JSON.stringify({ slug: "fixture-grading", order: 1, title: { es: "Lección de prueba", en: "Test lesson" }, summary: { es: "x", en: "x" } }),
  );
  const exercise = (id: string, title: string, tests: boolean) => `## ${title}

~~~exercise id=${id}
--- starter
function double(x: number) { return 0; }
--- check
--- solution
function double(x: number) { return 2 * x; }
${tests ? '--- tests\nfunction double\ncase "dos": 2\ncase "SECRET_CASE_NAME": 21\n' : ""}~~~
`;
  const body = (lang: string) => `# ${lang === "es" ? "Lección de prueba" : "Test lesson"}

${exercise("double-it", lang === "es" ? "Duplicar" : "Double it", true)}
${exercise("triple-it", lang === "es" ? "Triplicar" : "Triple it", true)}
${exercise("browser-only", "Solo en el navegador", false)}`;
  writeFileSync(join(lesson, "es.md"), body("es"));
  writeFileSync(join(lesson, "en.md"), body("en"));
  return dir;
}
