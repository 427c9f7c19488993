import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCaller } from "@/lib/server/api/root";
import type { SessionUser } from "@/lib/server/auth";
import { createNotebook, createCell } from "@/lib/notebook/document";
import { createTestDb, insertUser, testProviders, type TestDb } from "./helpers/test-db";

const doc = (source: string) => createNotebook({ title: "Scratch" }, [createCell("code", source)]);

describe.each(testProviders)("notebooks on %s", (provider) => {
  let t: TestDb;
  let ana: SessionUser, bruno: SessionUser;
  const as = (user: SessionUser | null) => createCaller({ db: t.db, user });

  beforeAll(async () => {
    t = await createTestDb(provider);
    ana = await insertUser(t.db, "student", "Ana");
    bruno = await insertUser(t.db, "student", "Bruno");
  });
  afterAll(async () => t?.drop());

  it("creates, lists, renames, deletes and restores scratch notebooks", async () => {
    const nb = await as(ana).notebooks.createScratch({ title: "Mi cuaderno", content: doc("1 + 1") });
    expect(nb.revision).toBe(1);
    expect((await as(ana).notebooks.listScratch()).map((n) => n.title)).toContain("Mi cuaderno");
    await as(ana).notebooks.rename({ id: nb.id, title: "Renombrado" });
    await as(ana).notebooks.remove({ id: nb.id });
    expect((await as(ana).notebooks.listScratch()).find((n) => n.id === nb.id)).toBeUndefined();
    await as(ana).notebooks.restoreDeleted({ id: nb.id });
    expect((await as(ana).notebooks.listScratch()).find((n) => n.id === nb.id)?.title).toBe("Renombrado");
  });

  it("saves revisions and keeps a conflicting save as a version instead of dropping it", async () => {
    const nb = await as(ana).notebooks.createScratch({ title: "Dos equipos", content: doc("let a = 1") });
    const key = { kind: "scratch" as const, id: nb.id };
    const laptop = await as(ana).notebooks.save({ key, baseRevision: 1, content: doc("let a = 2"), device: "laptop" });
    expect(laptop).toMatchObject({ status: "saved", revision: 2 });
    // The phone still thinks revision 1 is current.
    const phone = await as(ana).notebooks.save({ key, baseRevision: 1, content: doc("let a = 3"), device: "phone" });
    expect(phone.status).toBe("conflict");
    if (phone.status !== "conflict") return;
    expect(phone.current.content.cells[0].source).toBe("let a = 2");
    const versions = await as(ana).notebooks.versions(key);
    const kept = versions.find((v) => v.revision === phone.keptAsVersion)!;
    expect(kept.label).toBe("conflict:phone");
    const restored = await as(ana).notebooks.restoreVersion({ key, revision: kept.revision });
    expect(restored.content.cells[0].source).toBe("let a = 3");
    expect(restored.revision).toBe(3);
    // The laptop's version is not lost either: it was kept before the restore.
    const after = await as(ana).notebooks.versions(key);
    expect(after.some((v) => v.label === "before-restore")).toBe(true);
  });

  it("creates a lesson copy on first save and refuses a stale first save", async () => {
    const key = { kind: "lesson" as const, slug: "imbalance", locale: "es" as const };
    expect(await as(ana).notebooks.get(key)).toBeNull();
    expect((await as(ana).notebooks.save({ key, baseRevision: 0, content: doc("x") })).status).toBe("saved");
    expect((await as(ana).notebooks.save({ key, baseRevision: 0, content: doc("y") })).status).toBe("conflict");
    expect((await as(ana).notebooks.get(key))?.content.cells[0].source).toBe("x");
  });

  it("rejects invalid documents and changes nothing", async () => {
    const nb = await as(ana).notebooks.createScratch({ title: "Válido", content: doc("ok") });
    await expect(
      as(ana).notebooks.save({ key: { kind: "scratch", id: nb.id }, baseRevision: 1, content: { format: 1, cells: "nope" } }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(as(ana).notebooks.createScratch({ title: "", content: doc("x") })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect((await as(ana).notebooks.get({ kind: "scratch", id: nb.id }))?.revision).toBe(1);
  });

  it("keeps one student's notebooks from another", async () => {
    const nb = await as(ana).notebooks.createScratch({ title: "Privado", content: doc("secret") });
    const key = { kind: "scratch" as const, id: nb.id };
    await expect(as(bruno).notebooks.get(key)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(as(bruno).notebooks.save({ key, baseRevision: 1, content: doc("mine") })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(as(bruno).notebooks.remove({ id: nb.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await as(bruno).notebooks.versions(key)).toEqual([]);
    await expect(as(null).notebooks.listScratch()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });
});
