// The embedded database runs in WAL mode with foreign keys enforced.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, insertUser, type TestDb } from "./helpers/test-db";

describe("SQLite settings", () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb("sqlite");
  });
  afterAll(async () => t?.drop());

  it("uses WAL and enforces foreign keys", async () => {
    const [{ journal_mode }] = await t.db.$queryRawUnsafe<{ journal_mode: string }[]>("PRAGMA journal_mode");
    expect(journal_mode).toBe("wal");
    const [{ foreign_keys }] = await t.db.$queryRawUnsafe<{ foreign_keys: bigint | number }[]>("PRAGMA foreign_keys");
    expect(Number(foreign_keys)).toBe(1);
    await expect(
      t.db.membership.create({ data: { classId: "no-such-class", userId: "no-such-user" } }),
    ).rejects.toThrow();
  });

  it("cascades a deleted user's memberships and classes", async () => {
    const teacher = await insertUser(t.db, "instructor");
    const student = await insertUser(t.db, "student");
    const cls = await t.db.class.create({ data: { name: "C", joinCode: "ABCDEFGH", instructorId: teacher.id } });
    await t.db.membership.create({ data: { classId: cls.id, userId: student.id } });
    await t.db.user.delete({ where: { id: teacher.id } });
    expect(await t.db.class.count({ where: { id: cls.id } })).toBe(0);
    expect(await t.db.membership.count({ where: { userId: student.id } })).toBe(0);
  });
});
