import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, insertUser, testProviders, type TestDb } from "./helpers/test-db";
import { createCaller } from "@/lib/server/api/root";
import { lessonClassFor } from "@/lib/server/services/classes";
import type { SessionUser } from "@/lib/server/auth";

describe.each(testProviders)("classes on %s", (provider) => {
  let t: TestDb;
  let instructor: SessionUser, other: SessionUser, student: SessionUser, outsider: SessionUser;
  const as = (user: SessionUser | null) => createCaller({ db: t.db, user });

  beforeAll(async () => {
    t = await createTestDb(provider);
    instructor = await insertUser(t.db, "instructor", "Ada");
    other = await insertUser(t.db, "instructor", "Grace");
    student = await insertUser(t.db, "student", "Alan");
    outsider = await insertUser(t.db, "student", "Eve");
  });
  afterAll(async () => t?.drop());

  it("lets an instructor create a class, a student join it, and the instructor manage the roster", async () => {
    const created = await as(instructor).classes.create({ name: "MLOps 2026" });
    expect(created.joinCode).toMatch(/^[A-Z2-9]{8}$/);

    const joined = await as(student).classes.join({ code: created.joinCode!.toLowerCase() });
    expect(joined).toMatchObject({ id: created.id, role: "student", joinCode: null });

    const roster = await as(instructor).classes.roster({ classId: created.id });
    expect(roster.map((r) => r.name)).toEqual(["Alan"]);

    const { joinCode } = await as(instructor).classes.rotateCode({ classId: created.id });
    expect(joinCode).not.toBe(created.joinCode);
    await expect(as(outsider).classes.join({ code: created.joinCode! })).rejects.toMatchObject({ code: "BAD_REQUEST" });

    await as(instructor).classes.removeStudent({ classId: created.id, userId: student.id });
    expect(await as(instructor).classes.roster({ classId: created.id })).toEqual([]);
    await expect(as(student).classes.get({ classId: created.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("files a lesson's runs under the class asked for, else the class joined last", async () => {
    const ctx = (user: SessionUser) => ({ db: t.db, user });
    const newcomer = await insertUser(t.db, "student", "Nora");
    expect(await lessonClassFor(ctx(newcomer))).toBeNull();
    const a = await as(instructor).classes.create({ name: "Turno mañana" });
    const b = await as(other).classes.create({ name: "Turno noche" });
    const foreign = await as(other).classes.create({ name: "Not hers" });
    await as(newcomer).classes.join({ code: a.joinCode! });
    await new Promise((r) => setTimeout(r, 5)); // distinct joinedAt
    await as(newcomer).classes.join({ code: b.joinCode! });
    expect(await lessonClassFor(ctx(newcomer))).toEqual({ id: b.id, name: "Turno noche" });
    expect(await lessonClassFor(ctx(newcomer), a.id)).toEqual({ id: a.id, name: "Turno mañana" });
    // a class she is not in, or a malformed id, is ignored rather than leaked or trusted
    expect(await lessonClassFor(ctx(newcomer), foreign.id)).toEqual({ id: b.id, name: "Turno noche" });
    expect(await lessonClassFor(ctx(newcomer), "'; DROP TABLE")).toEqual({ id: b.id, name: "Turno noche" });
    // an instructor asking for their own class gets it
    expect(await lessonClassFor(ctx(instructor), a.id)).toEqual({ id: a.id, name: "Turno mañana" });
  });

  it("rejects bad join codes and double joins without changing anything", async () => {
    const c = await as(instructor).classes.create({ name: "Second class" });
    await expect(as(student).classes.join({ code: "NOPE" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(as(student).classes.join({ code: "ZZZZZZZZ" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await as(student).classes.join({ code: c.joinCode! });
    await expect(as(student).classes.join({ code: c.joinCode! })).rejects.toMatchObject({ code: "CONFLICT" });
    await expect(as(instructor).classes.join({ code: c.joinCode! })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect((await as(instructor).classes.roster({ classId: c.id })).length).toBe(1);
  });

  it("validates input with zod and reports a translatable key", async () => {
    await expect(as(instructor).classes.create({ name: "x" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect(await t.db.class.count({ where: { name: "x" } })).toBe(0);
  });

  describe("role matrix", () => {
    it("keeps students out of instructor procedures", async () => {
      const c = await as(instructor).classes.create({ name: "Matrix" });
      await as(student).classes.join({ code: c.joinCode! });
      for (const call of [
        () => as(student).classes.create({ name: "Mine now" }),
        () => as(student).classes.roster({ classId: c.id }),
        () => as(student).classes.rotateCode({ classId: c.id }),
        () => as(student).classes.removeStudent({ classId: c.id, userId: student.id }),
      ]) {
        await expect(call()).rejects.toMatchObject({ code: "FORBIDDEN" });
      }
    });

    it("keeps guests out of signed-in procedures", async () => {
      await expect(as(null).classes.mine()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
      await expect(as(null).classes.join({ code: "ABCDEFGH" })).rejects.toMatchObject({ code: "UNAUTHORIZED" });
      expect(await as(null).me.get()).toBeNull();
    });

    it("keeps one class's data from other instructors and non-members", async () => {
      const c = await as(instructor).classes.create({ name: "Private" });
      await expect(as(other).classes.roster({ classId: c.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
      await expect(as(other).classes.rotateCode({ classId: c.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
      await expect(as(other).classes.get({ classId: c.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
      await expect(as(outsider).classes.get({ classId: c.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
      const mine = await as(outsider).classes.mine();
      expect(mine.find((x) => x.id === c.id)).toBeUndefined();
    });
  });
});
