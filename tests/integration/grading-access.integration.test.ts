// Role matrix for grading (issue 12, point 8), on each database: who may read a gradebook, a
// student's grades and code, deadlines and overrides; and that no grading or gradebook procedure
// answers with hidden tests, a submission's detail, challenge labels or a private score before
// the challenge's deadline, whoever asks.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, insertUser, testProviders, type TestDb } from "./helpers/test-db";
import { insertChallenge, insertChallengeEntry, insertSubmission } from "./helpers/grading-rows";
import { appRouter, createCaller } from "@/lib/server/api/root";
import type { SessionUser } from "@/lib/server/auth";
import { closeGrading } from "@/lib/server/services/grading/lessons";
import { handleGradebookCsv } from "@/lib/server/services/gradebook/csv-route";

const LESSON = "splits-leakage";
const EXERCISE = "scale-without-leak";
const FORBIDDEN_KEYS = new Set(["tests", "detail", "code", "privateScore", "labels", "publicMask", "featuresCsv", "email"]);

/** Every key path in a value (superjson-free: the caller returns plain objects and Dates). */
function keysOf(value: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const v of value) keysOf(v, out);
  else if (value && typeof value === "object" && !(value instanceof Date)) {
    for (const [k, v] of Object.entries(value)) {
      out.add(k);
      keysOf(v, out);
    }
  }
  return out;
}

/** The argument lists of the exercise's hidden cases, as written and as JSON would write them. */
function hiddenArgTexts(): string[] {
  const source = readFileSync(join(process.cwd(), "content", "lessons", LESSON, "es.md"), "utf8");
  const start = source.indexOf("~~~exercise id=" + EXERCISE);
  const tests = source.slice(source.indexOf("--- tests", start), source.indexOf("\n~~~", start));
  const args = [...tests.matchAll(/^case "[^"]*":\s*(.+)$/gm)].map((m) => m[1]!.trim());
  expect(args.length).toBeGreaterThan(1);
  return args.flatMap((a) => [a, JSON.stringify(JSON.parse(`[${a}]`)).slice(1, -1)]);
}

describe.each(testProviders)("grading access on %s", (provider) => {
  let t: TestDb;
  let teacher: SessionUser, otherTeacher: SessionUser, ana: SessionUser, beto: SessionUser, outsider: SessionUser;
  let classId: string, challengeId: string;
  const as = (user: SessionUser | null) => createCaller({ db: t.db, user });
  const SECRET_CODE = "function scaleWithoutLeak() { return 'BETO_SECRET_CODE'; }";
  const SECRET_DETAIL = "BETO_SECRET_DETAIL";
  const PRIVATE = 0.987654;
  const csv = (user: SessionUser | null, id = classId) =>
    handleGradebookCsv(new Request(`http://localhost/api/classes/${id}/gradebook.csv?locale=es`), id, { db: t.db, sessionUser: async () => user });

  beforeAll(async () => {
    t = await createTestDb(provider);
    teacher = await insertUser(t.db, "instructor", "Ada");
    otherTeacher = await insertUser(t.db, "instructor", "Grace");
    ana = await insertUser(t.db, "student", "Ana");
    beto = await insertUser(t.db, "student", "Beto");
    outsider = await insertUser(t.db, "student", "Eve");
    const cls = await as(teacher).classes.create({ name: "Matriz de calificaciones" });
    classId = cls.id;
    await as(ana).classes.join({ code: cls.joinCode! });
    await as(beto).classes.join({ code: cls.joinCode! });
    await insertSubmission(t.db, { userId: beto.id, classId, lessonSlug: LESSON, exerciseId: EXERCISE, score: 0.75, code: SECRET_CODE, detail: SECRET_DETAIL });
    challengeId = (await insertChallenge(t.db, { classId, createdById: teacher.id, title: "Fraude", metric: "average-precision", deadline: new Date(Date.now() + 86_400_000) })).id;
    await insertChallengeEntry(t.db, { challengeId, userId: beto.id, publicScore: 0.5, privateScore: PRIVATE });
  });
  afterAll(async () => {
    await closeGrading();
    await t?.drop();
  });

  it("keeps the gradebook, overrides, deadlines and settings with the class's own instructor", async () => {
    const override = { classId, studentId: beto.id, item: `exercise:${LESSON}/${EXERCISE}`, score: 1, comment: "yo mismo" };
    for (const call of [
      () => as(ana).gradebook.forClass({ classId }),
      () => as(ana).gradebook.override(override),
      () => as(ana).gradebook.override({ ...override, studentId: ana.id }),
      () => as(ana).gradebook.setDeadline({ classId, lessonSlug: LESSON, local: "2030-01-01T00:00" }),
      () => as(ana).challenges.updateSettings({ classId, leaderboardNames: "nickname" }),
    ]) {
      await expect(call()).rejects.toMatchObject({ code: "FORBIDDEN" });
    }
    for (const call of [
      () => as(otherTeacher).gradebook.forClass({ classId }),
      () => as(otherTeacher).gradebook.override(override),
      () => as(otherTeacher).gradebook.setDeadline({ classId, lessonSlug: LESSON, local: "2030-01-01T00:00" }),
      () => as(otherTeacher).challenges.updateSettings({ classId, timeZone: "UTC" }),
      () => as(otherTeacher).gradebook.leaderboard({ classId }),
      () => as(otherTeacher).gradebook.settings({ classId }),
      () => as(outsider).gradebook.leaderboard({ classId }),
      () => as(outsider).gradebook.settings({ classId }),
    ]) {
      await expect(call()).rejects.toMatchObject({ code: "NOT_FOUND" });
    }
    for (const call of [() => as(null).gradebook.mine({}), () => as(null).gradebook.leaderboard({ classId }), () => as(null).gradebook.forClass({ classId })]) {
      await expect(call()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    }
    expect(await t.db.gradeOverride.count()).toBe(0);
    expect(await t.db.lessonDeadline.count()).toBe(0);
    expect((await t.db.class.findUniqueOrThrow({ where: { id: classId } })).leaderboardNames).toBe("name");
    expect(await as(outsider).gradebook.mine({})).toEqual([]);
  });

  it("serves the CSV only to the class's instructor", async () => {
    expect((await csv(null)).status).toBe(401);
    for (const user of [ana, beto, outsider, otherTeacher]) expect((await csv(user)).status).toBe(404);
    expect((await csv(teacher, "no-such-class")).status).toBe(404);
    const ok = await csv(teacher);
    expect(ok.status).toBe(200);
    expect(ok.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(ok.headers.get("content-disposition")).toMatch(/^attachment; filename="calificaciones-Matriz-de-calificaciones.csv"/);
    const body = new Uint8Array(await ok.arrayBuffer());
    expect([...body.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(body);
    expect(text).toContain("Beto;");
    expect(text).not.toContain("BETO_SECRET");
  });

  it("answers no grading or gradebook procedure with hidden tests, detail, labels, other students' code or early private scores", async () => {
    const outputs: [string, unknown][] = [];
    const record = async (name: string, value: Promise<unknown>) => outputs.push([name, await value]);
    const exercise = { lessonSlug: LESSON, exerciseId: EXERCISE, locale: "es" as const };

    await record("grading.submit", as(ana).grading.submit({ ...exercise, code: "function scaleWithoutLeak(a: number[][], b: number[][]) { return [a, b]; }", classId }));
    await record("grading.hint", as(ana).grading.hint({ ...exercise, index: 0 }));
    await record("grading.mine", as(ana).grading.mine({ lessonSlug: LESSON, locale: "es" }));
    await record("grading.reveal", as(ana).grading.reveal(exercise));
    await record("gradebook.mine", as(ana).gradebook.mine({ locale: "es" }));
    await record("gradebook.leaderboard", as(ana).gradebook.leaderboard({ classId }));
    await record("gradebook.settings", as(ana).gradebook.settings({ classId }));
    // the instructor's own procedures: still no code, detail or hidden tests, and no private score before the deadline
    await record("gradebook.forClass", as(teacher).gradebook.forClass({ classId }));
    await record("gradebook.override", as(teacher).gradebook.override({ classId, studentId: ana.id, item: `challenge:${challengeId}`, score: 0.5, comment: "ok" }));
    await record("gradebook.setDeadline", as(teacher).gradebook.setDeadline({ classId, lessonSlug: LESSON, local: "2030-01-01T00:00" }));

    // Every procedure of these routers is in this list: a new one fails here until it is checked too.
    const covered = new Set(outputs.map(([name]) => name));
    const procedures = Object.keys(appRouter._def.procedures).filter((k) => k.startsWith("grading.") || k.startsWith("gradebook."));
    expect(procedures.filter((p) => !covered.has(p))).toEqual([]);

    const submitted = outputs[0]![1] as { status: string; score: number; cases: unknown[] };
    expect(submitted.status).toBe("graded");
    expect(submitted.score).toBeLessThan(1);
    const hidden = hiddenArgTexts();
    for (const [name, value] of outputs) {
      const keys = keysOf(value);
      const forbidden = [...keys].filter((k) => FORBIDDEN_KEYS.has(k) && !(name === "gradebook.forClass" && k === "email"));
      expect(forbidden, name).toEqual([]);
      const text = JSON.stringify(value ?? null);
      for (const h of hidden) expect(text, `${name} quotes a hidden case`).not.toContain(h);
      expect(text, name).not.toContain("BETO_SECRET");
      expect(text, name).not.toContain("HIDDEN_LABEL");
      expect(text, name).not.toContain(String(PRIVATE));
      if (name !== "gradebook.forClass" && name !== "gradebook.leaderboard") expect(text, name).not.toContain(beto.id);
    }
    // A student's own views hold no other student's name except where the class shows names on its leaderboard.
    for (const name of ["grading.mine", "gradebook.mine", "gradebook.settings"]) {
      expect(JSON.stringify(outputs.find(([n]) => n === name)![1])).not.toContain("Beto");
    }
    const board = outputs.find(([n]) => n === "gradebook.leaderboard")![1] as { rows: object[] };
    for (const row of board.rows) expect(Object.keys(row).sort()).toEqual(["anonymous", "displayName", "lastAt", "me", "points", "rank", "solved"]);
  });

  it("answers no challenge procedure with hidden labels or, before the deadline, a private score", async () => {
    const outputs: [string, unknown][] = [];
    for (const [who, user] of [["beto", beto], ["ana", ana]] as const) {
      outputs.push([`${who} challenges.list`, await as(user).challenges.list({ classId })]);
      outputs.push([`${who} challenges.get`, await as(user).challenges.get({ challengeId })]);
      outputs.push([`${who} challenges.mySubmissions`, await as(user).challenges.mySubmissions({ challengeId })]);
      outputs.push([`${who} challenges.leaderboard`, await as(user).challenges.leaderboard({ challengeId })]);
      outputs.push([`${who} challenges.settings`, await as(user).challenges.settings({ classId })]);
    }
    expect(outputs[2]![1], "Beto's own submission is listed, with its private score withheld").toMatchObject([{ publicScore: 0.5, privateScore: null }]);
    for (const [name, value] of outputs) {
      const text = JSON.stringify(value ?? null);
      expect(text, name).not.toContain("HIDDEN_LABEL");
      expect(text, name).not.toContain(String(PRIVATE));
      expect([...keysOf(value)].filter((k) => k === "labels" || k === "publicMask"), name).toEqual([]);
    }
    await expect(as(outsider).challenges.leaderboard({ challengeId })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(as(otherTeacher).challenges.list({ classId })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("shows a challenge's private scores only once its deadline has passed", async () => {
    const cell = async () => (await as(teacher).gradebook.forClass({ classId })).students.find((s) => s.id === beto.id)!.cells[`challenge:${challengeId}`]!;
    expect(await cell()).toMatchObject({ score: 0.5, computed: { provisional: true } });
    await t.db.challenge.update({ where: { id: challengeId }, data: { deadline: new Date(Date.now() - 1000) } });
    expect(await cell()).toMatchObject({ score: PRIVATE, computed: { provisional: false } });
    const [mine] = await as(beto).gradebook.mine({});
    expect(mine!.cells[`challenge:${challengeId}`]!.score).toBe(PRIVATE);
  });
});
