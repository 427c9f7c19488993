// The gradebook computed from real rows on each database: best score, attempts, hints, reveal,
// late by the lesson deadline, overrides kept beside the computed grade, provisional challenge
// scores, totals, the student's own view, the class leaderboard and the CSV file.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, insertUser, testProviders, type TestDb } from "./helpers/test-db";
import { fixtureLessonsDir, insertChallenge, insertChallengeEntry, insertSubmission } from "./helpers/grading-rows";
import { createCaller } from "@/lib/server/api/root";
import type { SessionUser } from "@/lib/server/auth";
import { classGradebook, myGrades } from "@/lib/server/services/gradebook/gradebook";
import { classLeaderboard } from "@/lib/server/services/gradebook/leaderboard";
import { gradebookCsvFile } from "@/lib/server/services/gradebook/csv-export";
import { overrideGrade } from "@/lib/server/services/gradebook/overrides";
import { setLessonDeadline } from "@/lib/server/services/gradebook/deadlines";

const DOUBLE = "exercise:fixture-grading/double-it";
const TRIPLE = "exercise:fixture-grading/triple-it";

describe.each(testProviders)("gradebook on %s", (provider) => {
  let t: TestDb;
  let lessonsDir: string;
  let teacher: SessionUser, sofia: SessionUser, tomas: SessionUser;
  let classId: string;
  let openChallenge: string, closedChallenge: string, rmseChallenge: string;
  const ctx = (user: SessionUser) => ({ db: t.db, user });
  const opts = () => ({ locale: "es" as const, lessonsDir });

  beforeAll(async () => {
    t = await createTestDb(provider);
    lessonsDir = fixtureLessonsDir();
    teacher = await insertUser(t.db, "instructor", "Ada");
    sofia = await insertUser(t.db, "student", "Sofía");
    tomas = await insertUser(t.db, "student", "=Tomás");
    const cls = await createCaller({ db: t.db, user: teacher }).classes.create({ name: "MLOps; martes" });
    classId = cls.id;
    for (const s of [sofia, tomas]) await createCaller({ db: t.db, user: s }).classes.join({ code: cls.joinCode! });
    await t.db.membership.updateMany({ where: { classId, userId: sofia.id }, data: { nickname: "sofi" } });

    const d = (iso: string) => new Date(iso);
    // Sofía: double-it three attempts (hint, then a full score after the deadline), triple-it with a reveal.
    await insertSubmission(t.db, { userId: sofia.id, classId, lessonSlug: "fixture-grading", exerciseId: "double-it", score: 0.5, hintsUsed: 1, createdAt: d("2026-05-01T12:00Z") });
    await insertSubmission(t.db, { userId: sofia.id, classId, lessonSlug: "fixture-grading", exerciseId: "double-it", score: 0, status: "busy", createdAt: d("2026-05-01T12:01Z") });
    await insertSubmission(t.db, { userId: sofia.id, classId, lessonSlug: "fixture-grading", exerciseId: "double-it", score: 1, hintsUsed: 1, createdAt: d("2026-05-03T12:00Z") });
    await insertSubmission(t.db, { userId: sofia.id, classId, lessonSlug: "fixture-grading", exerciseId: "triple-it", score: 0, revealed: true, createdAt: d("2026-05-01T13:00Z") });
    // A submission in another class never shows here.
    await insertSubmission(t.db, { userId: tomas.id, classId: null, lessonSlug: "fixture-grading", exerciseId: "double-it", score: 1 });
    await insertSubmission(t.db, { userId: tomas.id, classId, lessonSlug: "fixture-grading", exerciseId: "triple-it", score: 0.25, createdAt: new Date("2026-05-01T10:00Z") });

    const future = new Date(Date.now() + 86_400_000);
    const past = new Date(Date.now() - 86_400_000);
    const beforeClose = new Date(past.getTime() - 3_600_000);
    openChallenge = (await insertChallenge(t.db, { classId, createdById: teacher.id, title: "Fraude", metric: "average-precision", deadline: future })).id;
    closedChallenge = (await insertChallenge(t.db, { classId, createdById: teacher.id, title: "Imanes", metric: "f1", deadline: past })).id;
    rmseChallenge = (await insertChallenge(t.db, { classId, createdById: teacher.id, title: "Ventas", metric: "rmse", deadline: past })).id;
    await insertChallengeEntry(t.db, { challengeId: openChallenge, userId: sofia.id, publicScore: 0.61, privateScore: 0.937 });
    await insertChallengeEntry(t.db, { challengeId: openChallenge, userId: sofia.id, publicScore: 0.72, privateScore: 0.938 });
    await insertChallengeEntry(t.db, { challengeId: closedChallenge, userId: sofia.id, publicScore: 0.9, privateScore: 0.4, createdAt: beforeClose });
    await insertChallengeEntry(t.db, { challengeId: closedChallenge, userId: sofia.id, publicScore: 0.5, privateScore: 0.8, selected: true, createdAt: beforeClose });
    await insertChallengeEntry(t.db, { challengeId: closedChallenge, userId: tomas.id, publicScore: 0.9, privateScore: 0.45, createdAt: beforeClose });
    await insertChallengeEntry(t.db, { challengeId: closedChallenge, userId: tomas.id, publicScore: 0.7, privateScore: 0.6, createdAt: beforeClose });
    await insertChallengeEntry(t.db, { challengeId: rmseChallenge, userId: tomas.id, publicScore: 3.2, privateScore: 2.5, createdAt: beforeClose });
    await insertChallengeEntry(t.db, { challengeId: rmseChallenge, userId: tomas.id, publicScore: 4.1, privateScore: 1.5, createdAt: beforeClose });
  });
  afterAll(async () => t?.drop());

  it("lists the course's graded exercises and the class's challenges, and grades each cell from its rows", async () => {
    const book = await classGradebook(ctx(teacher), classId, opts());
    expect(book.items.map((i) => i.key)).toEqual([DOUBLE, TRIPLE, `challenge:${openChallenge}`, `challenge:${closedChallenge}`, `challenge:${rmseChallenge}`]);
    expect(book.items[0]).toMatchObject({ title: "Duplicar", lessonTitle: "Lección de prueba" });
    expect(book.students.map((s) => s.name)).toEqual(["=Tomás", "Sofía"]);
    const s = book.students.find((x) => x.id === sofia.id)!;
    expect(s.cells[DOUBLE]).toMatchObject({ score: 1, computed: { score: 1, attempts: 2, hintsUsed: 1, revealed: false, late: false }, override: null });
    expect(s.cells[TRIPLE]!.computed).toMatchObject({ score: 0, revealed: true });
    // before its deadline: the best public score, provisional
    expect(s.cells[`challenge:${openChallenge}`]).toMatchObject({ score: 0.72, computed: { provisional: true, attempts: 2 } });
    // after it: the best private score among the selected finals
    expect(s.cells[`challenge:${closedChallenge}`]).toMatchObject({ score: 0.8, computed: { provisional: false } });
    const tm = book.students.find((x) => x.id === tomas.id)!;
    expect(tm.cells[DOUBLE]!.score).toBeNull();
    expect(tm.cells[`challenge:${closedChallenge}`]!.score).toBe(0.45); // default final: best public
    // lower is better: the default final is the lowest public score (3.2), graded by its private 2.5
    expect(tm.cells[`challenge:${rmseChallenge}`]!.score).toBe(2.5);
    expect(book.items.find((i) => i.key === `challenge:${rmseChallenge}`)!.inTotal).toBe(false);
    // totals: mean over the four 0–1 items, a missing grade counting as 0
    expect(s.total).toMatchObject({ items: 4, missing: 0 });
    expect(s.total.total).toBeCloseTo((1 + 0 + 0.72 + 0.8) / 4);
    expect(tm.total).toMatchObject({ items: 4, missing: 2 });
    expect(tm.total.total).toBeCloseTo((0.25 + 0.45) / 4);
  });

  it("marks attempts after a lesson's deadline late, judged by the deadline as it is now", async () => {
    // 12:00 in Buenos Aires (UTC−3) is 15:00 UTC: the 2026-05-03 attempt is late, the earlier ones are not.
    const { dueAt } = await setLessonDeadline(ctx(teacher), { classId, lessonSlug: "fixture-grading", local: "2026-05-02T12:00" }, { lessonsDir });
    expect(dueAt?.toISOString()).toBe("2026-05-02T15:00:00.000Z");
    let book = await classGradebook(ctx(teacher), classId, opts());
    const cells = (id: string) => book.students.find((x) => x.id === id)!.cells;
    expect(cells(sofia.id)[DOUBLE]!.computed.late).toBe(true);
    expect(cells(sofia.id)[TRIPLE]!.computed.late).toBe(false);
    expect(cells(tomas.id)[TRIPLE]!.computed.late).toBe(false);
    await setLessonDeadline(ctx(teacher), { classId, lessonSlug: "fixture-grading", local: "2026-05-04T12:00" }, { lessonsDir });
    book = await classGradebook(ctx(teacher), classId, opts());
    expect(cells(sofia.id)[DOUBLE]!.computed.late).toBe(false);
    await setLessonDeadline(ctx(teacher), { classId, lessonSlug: "fixture-grading", local: "2026-05-02T12:00" }, { lessonsDir });
  });

  it("keeps the computed grade and every override; the latest override counts", async () => {
    await overrideGrade(ctx(teacher), { classId, studentId: sofia.id, item: TRIPLE, score: 0.6, comment: "La solución se abrió por un error de la plataforma" }, { lessonsDir });
    await new Promise((r) => setTimeout(r, 5));
    await overrideGrade(ctx(teacher), { classId, studentId: sofia.id, item: TRIPLE, score: 0.7, comment: "  Revisado en clase  " }, { lessonsDir });
    const book = await classGradebook(ctx(teacher), classId, opts());
    const s = book.students.find((x) => x.id === sofia.id)!;
    expect(s.cells[TRIPLE]).toMatchObject({ score: 0.7, computed: { score: 0, revealed: true }, override: { score: 0.7, comment: "Revisado en clase", createdByName: "Ada" } });
    expect(s.history![TRIPLE]!.map((o) => o.score)).toEqual([0.6, 0.7]);
    expect(s.total.total).toBeCloseTo((1 + 0.7 + 0.72 + 0.8) / 4);
    expect(await t.db.gradeOverride.count({ where: { classId } })).toBe(2);
  });

  it("refuses bad overrides with a clear error and changes nothing", async () => {
    const as = createCaller({ db: t.db, user: teacher });
    const before = await t.db.gradeOverride.count();
    await expect(as.gradebook.override({ classId, studentId: sofia.id, item: DOUBLE, score: 0.5, comment: "   " })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(as.gradebook.override({ classId, studentId: sofia.id, item: DOUBLE, score: 1.5, comment: "x" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(as.gradebook.override({ classId, studentId: sofia.id, item: "quiz:1", score: 0.5, comment: "x" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(as.gradebook.override({ classId, studentId: sofia.id, item: "exercise:nope/none", score: 0.5, comment: "x" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(as.gradebook.override({ classId, studentId: teacher.id, item: `challenge:${openChallenge}`, score: 0.5, comment: "x" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(as.gradebook.setDeadline({ classId, lessonSlug: "no-such-lesson", local: "2026-05-02T12:00" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await t.db.gradeOverride.count()).toBe(before);
    expect((await t.db.class.findUniqueOrThrow({ where: { id: classId } })).timeZone).toBe("America/Argentina/Buenos_Aires");
  });

  it("gives a student their own grades, with the latest override and its comment, and nobody else's", async () => {
    const [mine, ...rest] = await myGrades(ctx(sofia), opts());
    expect(rest).toEqual([]);
    expect(mine).toMatchObject({ classId, className: "MLOps; martes" });
    expect(mine!.cells[TRIPLE]).toMatchObject({ score: 0.7, override: { comment: "Revisado en clase" } });
    expect(mine!.cells[`challenge:${openChallenge}`]).toMatchObject({ score: 0.72, computed: { provisional: true } });
    const text = JSON.stringify(mine);
    expect(text).not.toContain(tomas.id);
    expect(text).not.toContain("Tomás");
    expect(text).not.toContain("0.937"); // private scores of an open challenge
    expect(text).not.toContain("0.938");
    expect(text).not.toContain("history");
  });

  it("ranks the class by computed points, with names or nicknames as the class chooses", async () => {
    let board = await classLeaderboard(ctx(tomas), classId, opts());
    expect(board.items).toBe(4);
    expect(board.rows.map((r) => [r.rank, r.displayName, r.me])).toEqual([[1, "Sofía", false], [2, "=Tomás", true]]);
    expect(board.rows[0]!.points).toBeCloseTo(1 + 0 + 0.72 + 0.8); // the override is not a leaderboard matter
    expect(JSON.stringify(board)).not.toMatch(/0\.93[78]|userId/);
    await createCaller({ db: t.db, user: teacher }).challenges.updateSettings({ classId, leaderboardNames: "nickname" });
    board = await classLeaderboard(ctx(tomas), classId, opts());
    expect(board.rows.map((r) => [r.displayName, r.anonymous])).toEqual([["sofi", null], ["Anónimo #2", 2]]);
    await createCaller({ db: t.db, user: teacher }).challenges.updateSettings({ classId, leaderboardNames: "name" });
  });

  it("exports one row per student in the instructor's language and spreadsheet dialect", async () => {
    const es = await gradebookCsvFile(ctx(teacher), classId, opts());
    expect(es.fileName).toBe("calificaciones-MLOps; martes.csv");
    expect(es.text.startsWith("\uFEFF")).toBe(true);
    const lines = es.text.slice(1).split("\r\n");
    expect(lines[0]).toBe("Estudiante;Correo;Lección de prueba · Duplicar (%);Lección de prueba · Triplicar (%);Desafío: Fraude (%);Desafío: Imanes (%);Desafío: Ventas (rmse);Total (%);Ítems tardíos");
    expect(lines[1]).toBe(`'=Tomás;${tomas.email};;25;;45;2,5;17,5;0`);
    expect(lines[2]).toBe(`Sofía;${sofia.email};100;70;72;80;;80,5;1`);
    expect(lines).toHaveLength(4); // header, two students, the final CRLF
    const en = await gradebookCsvFile(ctx(teacher), classId, { ...opts(), locale: "en" });
    expect(en.fileName).toBe("gradebook-MLOps; martes.csv");
    const enLines = en.text.slice(1).split("\r\n");
    expect(enLines[0]).toBe("Student,Email,Test lesson · Double it (%),Test lesson · Triple it (%),Challenge: Fraude (%),Challenge: Imanes (%),Challenge: Ventas (rmse),Total (%),Late items");
    expect(enLines[2]).toBe(`Sofía,${sofia.email},100,70,72,80,,80.5,1`);
  });
});
