// Keeps one notebook's local copy (IndexedDB) and server copy (tRPC) in step.
//   - every edit is written locally within `localDelayMs` and marked dirty;
//   - dirty copies are pushed with the revision they were based on;
//   - the server refuses a save based on an old revision and keeps it as a version, so two
//     devices never silently drop each other's work; the engine then adopts the server copy
//     and reports the conflict (with the version number that holds this device's edits).
import type { NotebookDocument } from "@/lib/notebook/types";
import type { LocalEntry, LocalNotebookStore } from "./local-store";

export type SaveState = "saved-local" | "saving" | "saved" | "offline" | "conflict" | "local-only";

export interface ServerCopy {
  revision: number;
  content: NotebookDocument;
  title: string;
}

export type ServerSaveResult =
  | { status: "saved"; revision: number }
  | { status: "conflict"; keptAsVersion: number; current: ServerCopy };

/** The server side, as the engine needs it (the app passes tRPC calls). */
export interface NotebookServer {
  get(): Promise<ServerCopy | null>;
  save(input: { baseRevision: number; content: NotebookDocument; title: string }): Promise<ServerSaveResult>;
}

export interface SyncEvents {
  onState?(state: SaveState): void;
  /** The server had a newer copy; this device's edits were kept as version `keptAsVersion`. */
  onConflict?(info: { keptAsVersion: number; current: NotebookDocument }): void;
  /** The document was replaced by a newer copy (from the server or another tab). */
  onReplaced?(doc: NotebookDocument): void;
}

export interface SyncOptions {
  localDelayMs?: number;
  serverDelayMs?: number;
  retryDelayMs?: number;
}

export class NotebookSync {
  private entry: LocalEntry | null = null;
  private localTimer: ReturnType<typeof setTimeout> | null = null;
  private serverTimer: ReturnType<typeof setTimeout> | null = null;
  private pushing: Promise<void> | null = null;
  private closed = false;
  private readonly localDelayMs: number;
  private readonly serverDelayMs: number;
  private readonly retryDelayMs: number;

  constructor(
    private readonly key: string,
    private readonly store: LocalNotebookStore,
    private readonly server: NotebookServer | null,
    private readonly events: SyncEvents = {},
    options: SyncOptions = {},
  ) {
    this.localDelayMs = options.localDelayMs ?? 300;
    this.serverDelayMs = options.serverDelayMs ?? 1000;
    this.retryDelayMs = options.retryDelayMs ?? 5000;
  }

  /**
   * The document to show: the local copy if it holds unsent edits (they are pushed next),
   * else the newer of local and server, else `original` (a lesson's pristine text).
   */
  async open(original: NotebookDocument): Promise<NotebookDocument> {
    const local = await this.store.get(this.key);
    let remote: ServerCopy | null = null;
    if (this.server) {
      try {
        remote = await this.server.get();
      } catch {
        this.setState("offline");
      }
    }
    if (local?.dirty) {
      this.entry = local;
      this.scheduleServer(0);
      return local.doc;
    }
    if (remote && (!local || remote.revision >= local.baseRevision)) {
      this.entry = { key: this.key, doc: remote.content, baseRevision: remote.revision, dirty: false, updatedAt: Date.now(), title: remote.title };
      await this.store.put(this.entry);
      this.setState("saved");
      return remote.content;
    }
    this.entry = local ?? { key: this.key, doc: original, baseRevision: 0, dirty: false, updatedAt: Date.now(), title: original.metadata.title };
    this.setState(this.server ? "saved" : "local-only");
    return this.entry.doc;
  }

  /** Records an edit: local write within `localDelayMs`, server push after `serverDelayMs`. */
  change(doc: NotebookDocument): void {
    if (!this.entry || this.closed) return;
    this.entry = { ...this.entry, doc, dirty: true, updatedAt: Date.now(), title: doc.metadata.title || this.entry.title };
    if (!this.localTimer) {
      this.localTimer = setTimeout(() => {
        this.localTimer = null;
        void this.writeLocal();
      }, this.localDelayMs);
    }
    this.scheduleServer(this.serverDelayMs);
  }

  /** Writes pending edits now (page hide, before navigation) and pushes them if possible. */
  async flush(): Promise<void> {
    if (this.localTimer) {
      clearTimeout(this.localTimer);
      this.localTimer = null;
    }
    await this.writeLocal();
    await this.push();
  }

  close(): void {
    this.closed = true;
    if (this.serverTimer) clearTimeout(this.serverTimer);
  }

  get current(): NotebookDocument | null {
    return this.entry?.doc ?? null;
  }

  private async writeLocal(): Promise<void> {
    if (this.entry) await this.store.put(this.entry);
    if (!this.server) this.setState("local-only");
    else if (this.entry?.dirty) this.setState("saved-local");
  }

  private scheduleServer(delay: number): void {
    if (!this.server || this.closed) return;
    if (this.serverTimer) clearTimeout(this.serverTimer);
    this.serverTimer = setTimeout(() => {
      this.serverTimer = null;
      void this.push();
    }, delay);
  }

  private async push(): Promise<void> {
    if (!this.server || !this.entry?.dirty) return;
    if (this.pushing) return this.pushing;
    this.pushing = (async () => {
      const sent = this.entry!;
      this.setState("saving");
      try {
        const result = await this.server!.save({ baseRevision: sent.baseRevision, content: sent.doc, title: sent.title });
        if (result.status === "saved") {
          // Edits made while the request was in flight stay dirty, now based on the new revision.
          const stillSame = this.entry === sent;
          this.entry = { ...this.entry!, baseRevision: result.revision, dirty: !stillSame };
          await this.store.put(this.entry);
          this.setState(stillSame ? "saved" : "saved-local");
          if (!stillSame) this.scheduleServer(this.serverDelayMs);
        } else {
          this.entry = { key: this.key, doc: result.current.content, baseRevision: result.current.revision, dirty: false, updatedAt: Date.now(), title: result.current.title };
          await this.store.put(this.entry);
          this.setState("conflict");
          this.events.onConflict?.({ keptAsVersion: result.keptAsVersion, current: result.current.content });
          this.events.onReplaced?.(result.current.content);
        }
      } catch {
        this.setState("offline");
        this.scheduleServer(this.retryDelayMs);
      } finally {
        this.pushing = null;
      }
    })();
    return this.pushing;
  }

  private setState(state: SaveState): void {
    this.events.onState?.(state);
  }
}
