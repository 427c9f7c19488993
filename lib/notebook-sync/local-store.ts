// The browser's copy of every notebook a person opened, in IndexedDB: written within a second
// of each edit, so a reload or a killed tab loses at most the last second of typing.
import { openDB, type IDBPDatabase } from "idb";
import type { NotebookDocument } from "@/lib/notebook/types";

export interface LocalEntry {
  /** "lesson:<slug>:<locale>", "scratch:<serverId>" or "local:<id>" (a guest's notebook). */
  key: string;
  doc: NotebookDocument;
  /** The server revision this copy was based on (0: never on the server). */
  baseRevision: number;
  /** True while the copy holds edits the server has not acknowledged. */
  dirty: boolean;
  updatedAt: number;
  title: string;
}

const DB_NAME = "cuaderno";
const STORE = "notebooks";

export class LocalNotebookStore {
  private db: Promise<IDBPDatabase>;

  constructor(name = DB_NAME) {
    this.db = openDB(name, 1, {
      upgrade(db) {
        if (!db.objectStoreNames.contains(STORE)) db.createObjectStore(STORE, { keyPath: "key" });
      },
    });
  }

  async get(key: string): Promise<LocalEntry | undefined> {
    return (await this.db).get(STORE, key);
  }

  async put(entry: LocalEntry): Promise<void> {
    await (await this.db).put(STORE, entry);
  }

  async delete(key: string): Promise<void> {
    await (await this.db).delete(STORE, key);
  }

  /** Entries whose key starts with a prefix, newest first (e.g. a guest's "local:" notebooks). */
  async list(prefix: string): Promise<LocalEntry[]> {
    const all: LocalEntry[] = await (await this.db).getAll(STORE);
    return all.filter((e) => e.key.startsWith(prefix)).sort((a, b) => b.updatedAt - a.updatedAt);
  }
}
