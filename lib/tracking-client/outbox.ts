// The tracking outbox in IndexedDB (via idb): runs and the ops still owed to the server, kept
// until the server acknowledges them, so a closed tab, a dropped network or a server restart
// loses nothing. Ops are keyed by an autoincrement sequence: the order they are sent in.

import { wrap, type DBSchema, type IDBPDatabase } from "idb";
import type { LocalRun, Op, RejectedOp } from "./types";

export const OUTBOX_DB_NAME = "cuaderno-tracking";
const VERSION = 1;

interface OutboxSchema extends DBSchema {
  runs: { key: string; value: LocalRun };
  ops: { key: number; value: Op; indexes: { byRun: string } };
  rejected: { key: number; value: RejectedOp };
}

export class Outbox {
  private constructor(private readonly db: IDBPDatabase<OutboxSchema>) {}

  /** Opens (creating if needed) the outbox database with the given IndexedDB factory. */
  static async open(factory: IDBFactory | undefined = globalThis.indexedDB, name = OUTBOX_DB_NAME): Promise<Outbox> {
    if (!factory) throw new Error("Experiment tracking needs IndexedDB, which this environment does not have");
    // idb's openDB always uses the global indexedDB; wrapping the request lets tests inject one.
    const request = factory.open(name, VERSION);
    request.addEventListener("upgradeneeded", () => {
      const db = request.result;
      if (!db.objectStoreNames.contains("runs")) db.createObjectStore("runs", { keyPath: "localId" });
      if (!db.objectStoreNames.contains("ops")) {
        const ops = db.createObjectStore("ops", { keyPath: "seq", autoIncrement: true });
        ops.createIndex("byRun", "localId");
      }
      if (!db.objectStoreNames.contains("rejected")) db.createObjectStore("rejected", { keyPath: "id", autoIncrement: true });
    });
    const db = (await wrap(request)) as unknown as IDBPDatabase<OutboxSchema>;
    return new Outbox(db);
  }

  close(): void {
    this.db.close();
  }

  putRun(run: LocalRun): Promise<string> {
    return this.db.put("runs", run);
  }

  getRun(localId: string): Promise<LocalRun | undefined> {
    return this.db.get("runs", localId);
  }

  async updateRun(localId: string, patch: Partial<LocalRun>): Promise<LocalRun | undefined> {
    const tx = this.db.transaction("runs", "readwrite");
    const run = await tx.store.get(localId);
    if (run) await tx.store.put({ ...run, ...patch, localId });
    await tx.done;
    return run ? { ...run, ...patch } : undefined;
  }

  /** Every run still in the outbox, oldest first. */
  async runs(): Promise<LocalRun[]> {
    const all = await this.db.getAll("runs");
    return all.sort((a, b) => a.startTime - b.startTime || (a.localId < b.localId ? -1 : 1));
  }

  /** Appends ops atomically (all or none), in order. */
  async addOps(ops: Op[]): Promise<void> {
    if (!ops.length) return;
    const tx = this.db.transaction("ops", "readwrite");
    for (const op of ops) {
      const { seq: _drop, ...rest } = op;
      void _drop;
      void tx.store.add(rest as Op);
    }
    await tx.done;
  }

  /** A run's ops in the order they were logged. */
  async opsFor(localId: string): Promise<Op[]> {
    const ops = await this.db.getAllFromIndex("ops", "byRun", localId);
    return ops.sort((a, b) => (a.seq ?? 0) - (b.seq ?? 0));
  }

  countOps(): Promise<number> {
    return this.db.count("ops");
  }

  deleteOp(seq: number): Promise<void> {
    return this.db.delete("ops", seq);
  }

  /** Moves an op the server refused for good out of the queue. */
  async reject(op: Op, error: string): Promise<void> {
    const tx = this.db.transaction(["ops", "rejected"], "readwrite");
    if (op.seq !== undefined) void tx.objectStore("ops").delete(op.seq);
    void tx.objectStore("rejected").add({ op, error, at: Date.now() });
    await tx.done;
  }

  rejected(): Promise<RejectedOp[]> {
    return this.db.getAll("rejected");
  }

  /** Forgets a run and every op it still had (its server run is gone). */
  async dropRun(localId: string, error?: string): Promise<void> {
    const tx = this.db.transaction(["runs", "ops", "rejected"], "readwrite");
    const ops = tx.objectStore("ops");
    for (const key of await ops.index("byRun").getAllKeys(localId)) {
      if (error) {
        const op = await ops.get(key);
        if (op) void tx.objectStore("rejected").add({ op, error, at: Date.now() });
      }
      void ops.delete(key);
    }
    void tx.objectStore("runs").delete(localId);
    await tx.done;
  }

  deleteRun(localId: string): Promise<void> {
    return this.db.delete("runs", localId);
  }
}
