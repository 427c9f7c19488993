// The browser's sync engine against the real notebooks service: edits reach IndexedDB and the
// server; a second device's stale edits are kept as a version, never silently dropped.
import "fake-indexeddb/auto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCaller } from "@/lib/server/api/root";
import type { SessionUser } from "@/lib/server/auth";
import { createCell, createNotebook, setSource } from "@/lib/notebook/document";
import type { NotebookDocument } from "@/lib/notebook/types";
import { LocalNotebookStore } from "@/lib/notebook-sync/local-store";
import { NotebookSync, type NotebookServer, type SaveState } from "@/lib/notebook-sync/sync-engine";
import { createTestDb, insertUser, type TestDb } from "./helpers/test-db";

const lessonKey = { kind: "lesson" as const, slug: "imbalance", locale: "es" as const };

describe("notebook sync (SQLite)", () => {
  let t: TestDb;
  let ana: SessionUser;
  const original = createNotebook({ title: "Desbalance" }, [createCell("code", "const x = 1", "c1" as never)]);

  beforeAll(async () => {
    t = await createTestDb("sqlite");
    ana = await insertUser(t.db, "student", "Ana");
  });
  afterAll(async () => t?.drop());

  /** The tRPC calls the page makes, bound to one user; `online` simulates a dropped network. */
  function serverFor(user: SessionUser, state = { online: true }): NotebookServer {
    const api = createCaller({ db: t.db, user }).notebooks;
    return {
      async get() {
        if (!state.online) throw new Error("offline");
        const r = await api.get(lessonKey);
        return r && { revision: r.revision, content: r.content, title: r.title };
      },
      async save(input) {
        if (!state.online) throw new Error("offline");
        const r = await api.save({ key: lessonKey, ...input });
        return r.status === "saved" ? { status: "saved", revision: r.revision } : { status: "conflict", keptAsVersion: r.keptAsVersion, current: { revision: r.current.revision, content: r.current.content, title: r.current.title } };
      },
    };
  }
  const edit = (doc: NotebookDocument, src: string) => setSource(doc, "c1", src);
  const fast = { localDelayMs: 5, serverDelayMs: 10, retryDelayMs: 20 };

  it("writes edits locally at once and to the server, and reopens them on another device", async () => {
    const states: SaveState[] = [];
    const laptop = new NotebookSync("lesson:imbalance:es", new LocalNotebookStore("laptop-1"), serverFor(ana), { onState: (s) => states.push(s) }, fast);
    const doc = await laptop.open(original);
    laptop.change(edit(doc, "const x = 2"));
    await laptop.flush();
    expect((await new LocalNotebookStore("laptop-1").get("lesson:imbalance:es"))?.doc.cells[0].source).toBe("const x = 2");
    expect(states).toContain("saved");

    const phone = new NotebookSync("lesson:imbalance:es", new LocalNotebookStore("phone-1"), serverFor(ana), {}, fast);
    expect((await phone.open(original)).cells[0].source).toBe("const x = 2");
  });

  it("keeps edits made offline and sends them when the network is back", async () => {
    const net = { online: true };
    const sync = new NotebookSync("lesson:imbalance:es", new LocalNotebookStore("laptop-2"), serverFor(ana, net), {}, fast);
    const doc = await sync.open(original);
    net.online = false;
    sync.change(edit(doc, "const x = 3 // offline"));
    await sync.flush();
    expect((await createCaller({ db: t.db, user: ana }).notebooks.get(lessonKey))?.content.cells[0].source).toBe("const x = 2");
    // A reload while offline still shows the edit (it is in IndexedDB, marked dirty).
    const reloaded = new NotebookSync("lesson:imbalance:es", new LocalNotebookStore("laptop-2"), serverFor(ana, net), {}, fast);
    expect((await reloaded.open(original)).cells[0].source).toBe("const x = 3 // offline");
    net.online = true;
    await reloaded.flush();
    expect((await createCaller({ db: t.db, user: ana }).notebooks.get(lessonKey))?.content.cells[0].source).toBe("const x = 3 // offline");
    sync.close();
  });

  it("two devices editing the same notebook never silently drop a version", async () => {
    const a = new NotebookSync("lesson:imbalance:es", new LocalNotebookStore("dev-a"), serverFor(ana), {}, fast);
    const conflicts: number[] = [];
    const b = new NotebookSync("lesson:imbalance:es", new LocalNotebookStore("dev-b"), serverFor(ana), { onConflict: (c) => conflicts.push(c.keptAsVersion) }, fast);
    const docA = await a.open(original);
    const docB = await b.open(original);
    a.change(edit(docA, "// from A"));
    await a.flush();
    b.change(edit(docB, "// from B"));
    await b.flush();
    expect(conflicts).toHaveLength(1);
    expect(b.current?.cells[0].source).toBe("// from A");
    const api = createCaller({ db: t.db, user: ana }).notebooks;
    const versions = await api.versions(lessonKey);
    const kept = versions.find((v) => v.revision === conflicts[0])!;
    expect(kept.label).toMatch(/^conflict/);
    const restored = await api.restoreVersion({ key: lessonKey, revision: kept.revision });
    expect(restored.content.cells[0].source).toBe("// from B");
  });

  it("works without a server for guests (local only)", async () => {
    const states: SaveState[] = [];
    const guest = new NotebookSync("local:abc", new LocalNotebookStore("guest"), null, { onState: (s) => states.push(s) }, fast);
    const doc = await guest.open(original);
    guest.change(edit(doc, "guest edit"));
    await guest.flush();
    expect(states.at(-1)).toBe("local-only");
    expect((await new LocalNotebookStore("guest").list("local:"))[0].doc.cells[0].source).toBe("guest edit");
  });
});
