// A user's notifications (issue 13 point 5) on SQLite and PostgreSQL: one per unread subject,
// listed newest first with the unread count, marked read by id (only one's own) or all, bounded
// per user; bad input refused through the tRPC router and nothing changes. How drift alerts
// become notifications through real predictions: tests/integration/serving-monitoring.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, insertUser, testProviders, type TestDb } from "./helpers/test-db";
import { createCaller } from "@/lib/server/api/root";
import type { SessionUser } from "@/lib/server/auth";
import { notify, NOTIFICATION_LIMITS } from "@/lib/server/services/notifications/notifications";

describe.each(testProviders)("notifications on %s", (provider) => {
  let t: TestDb;
  let ana: SessionUser, bob: SessionUser;
  const alert = (userId: string, feature: string, at = 1_700_000_000_000) => ({
    userId,
    kind: "driftAlert" as const,
    subject: `drift:fraud#1:${feature}`,
    data: { model: "fraud", version: 1, feature, psi: 0.3, ksPValue: 1e-6 },
    href: "/models/fraud",
    now: new Date(at),
  });
  const api = (user: SessionUser | null) => createCaller({ db: t.db, user });

  beforeAll(async () => {
    t = await createTestDb(provider);
    ana = await insertUser(t.db, "student", "Ana");
    bob = await insertUser(t.db, "student", "Bob");
  });
  afterAll(async () => {
    await t?.drop();
  });

  it("one notification per unread subject; listed newest first with the unread count; a read subject may come again", async () => {
    const first = await notify(t.db, alert(ana.id, "amount", 1_700_000_000_000));
    expect(first).not.toBeNull();
    expect(await notify(t.db, alert(ana.id, "amount", 1_700_000_001_000))).toBeNull(); // same episode, another instance
    const other = await notify(t.db, alert(ana.id, "online", 1_700_000_002_000));
    expect(other).not.toBeNull();
    const listed = await api(ana).monitoring.notifications({ limit: 20 });
    expect(listed.unread).toBe(2);
    expect(listed.items.map((i) => [i.id, i.data.feature, i.read, i.href, i.createdAt])).toEqual([
      [other, "online", false, "/models/fraud", 1_700_000_002_000],
      [first, "amount", false, "/models/fraud", 1_700_000_000_000],
    ]);
    expect((await api(bob).monitoring.notifications({ limit: 20 })).items).toEqual([]);

    expect(await api(ana).monitoring.markNotificationsRead({ ids: [first!] })).toEqual({ marked: 1 });
    expect(await api(ana).monitoring.markNotificationsRead({ ids: [first!] })).toEqual({ marked: 0 }); // already read
    const again = await notify(t.db, alert(ana.id, "amount", 1_700_000_003_000)); // a new episode after it was read
    expect(again).not.toBeNull();
    const after = await api(ana).monitoring.notifications({ limit: 20 });
    expect(after.unread).toBe(2);
    expect(after.items.map((i) => [i.id, i.read])).toEqual([[again, false], [other, false], [first, true]]);
  });

  it("only one's own are marked; bad input is refused and changes nothing; signed out is unauthorized", async () => {
    const before = await t.db.notification.findMany({ orderBy: { id: "asc" } });
    const anaIds = before.filter((n) => n.userId === ana.id).map((n) => n.id);
    expect(await api(bob).monitoring.markNotificationsRead({ ids: anaIds })).toEqual({ marked: 0 });
    expect(await api(bob).monitoring.markNotificationsRead({ all: true })).toEqual({ marked: 0 });
    await expect(api(ana).monitoring.markNotificationsRead({})).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(api(ana).monitoring.markNotificationsRead({ ids: [] })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(api(ana).monitoring.markNotificationsRead({ ids: Array.from({ length: 101 }, (_, i) => i + 1) })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(api(ana).monitoring.notifications({ limit: 51 })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(api(null).monitoring.notifications({ limit: 5 })).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    expect(await t.db.notification.findMany({ orderBy: { id: "asc" } })).toEqual(before);
    // A link must be a page of this app: anything else is dropped.
    const id = await notify(t.db, { ...alert(bob.id, "x"), href: "//evil.example/x" });
    expect((await t.db.notification.findUniqueOrThrow({ where: { id: id! } })).href).toBeNull();
  });

  it("a user keeps their newest notifications only", async () => {
    const carl = await insertUser(t.db, "student", "Carl");
    const n = NOTIFICATION_LIMITS.kept + 5;
    for (let i = 0; i < n; i++) await notify(t.db, alert(carl.id, `f${i}`, 1_700_000_000_000 + i));
    const rows = await t.db.notification.findMany({ where: { userId: carl.id }, orderBy: { id: "asc" }, select: { subject: true } });
    expect(rows).toHaveLength(NOTIFICATION_LIMITS.kept);
    expect(rows[0].subject).toBe("drift:fraud#1:f5");
    expect((await api(carl).monitoring.notifications({ limit: 50 })).items[0].data.feature).toBe(`f${n - 1}`);
    expect(await t.db.notification.count({ where: { userId: ana.id } })).toBe(3); // others untouched
  }, 60_000);
});
