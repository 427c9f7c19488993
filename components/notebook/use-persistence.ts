"use client";
// Wires lib/notebook-sync to the page: IndexedDB always (every edit within a second), the server
// too for signed-in people (revisions, conflicts kept as versions). Flushes when the page hides.
import { useCallback, useEffect, useRef, useState } from "react";
import { LocalNotebookStore } from "@/lib/notebook-sync/local-store";
import { NotebookSync, type NotebookServer, type SaveState, type ServerCopy } from "@/lib/notebook-sync/sync-engine";
import type { NotebookDocument } from "@/lib/notebook/types";
import { useTRPCClient } from "@/lib/trpc/react";
import type { NotebookKey } from "@/lib/server/services/notebooks";

let store: LocalNotebookStore | null = null;
export function localStore(): LocalNotebookStore {
  store ??= new LocalNotebookStore();
  return store;
}

export interface Persistence {
  loaded: boolean;
  saveState: SaveState | null;
  conflict: { keptAsVersion: number } | null;
  dismissConflict(): void;
  change(doc: NotebookDocument): void;
  /** Opens the notebook again (after a server-side restore). */
  reopen(): Promise<void>;
  flush(): Promise<void>;
}

export function usePersistence(opts: {
  storageKey: string;
  serverKey: NotebookKey | null;
  original: NotebookDocument;
  onDocument(doc: NotebookDocument): void;
}): Persistence {
  const { storageKey, serverKey, original } = opts;
  const client = useTRPCClient();
  const onDoc = useRef(opts.onDocument);
  onDoc.current = opts.onDocument;
  const syncRef = useRef<NotebookSync | null>(null);
  const [loaded, setLoaded] = useState(false);
  const [saveState, setSaveState] = useState<SaveState | null>(null);
  const [conflict, setConflict] = useState<{ keptAsVersion: number } | null>(null);
  const serverKeyJson = serverKey ? JSON.stringify(serverKey) : null;

  const open = useCallback(async () => {
    syncRef.current?.close();
    const key = serverKeyJson ? (JSON.parse(serverKeyJson) as NotebookKey) : null;
    const toCopy = (r: { revision: number; content: NotebookDocument; title: string }): ServerCopy => ({ revision: r.revision, content: r.content, title: r.title });
    const server: NotebookServer | null = key
      ? {
          async get() {
            const r = await client.notebooks.get.query(key);
            return r ? toCopy(r) : null;
          },
          async save(input) {
            const r = await client.notebooks.save.mutate({ key, baseRevision: input.baseRevision, content: input.content, title: input.title || undefined, device: deviceName() });
            return r.status === "saved" ? { status: "saved", revision: r.revision } : { status: "conflict", keptAsVersion: r.keptAsVersion, current: toCopy(r.current) };
          },
        }
      : null;
    const sync = new NotebookSync(storageKey, localStore(), server, {
      onState: (s) => {
        if (syncRef.current === sync) setSaveState(s);
      },
      onConflict: (info) => setConflict({ keptAsVersion: info.keptAsVersion }),
      onReplaced: (doc) => onDoc.current(doc),
    }, { localDelayMs: 250, serverDelayMs: 1000 });
    syncRef.current = sync;
    const doc = await sync.open(original);
    if (syncRef.current !== sync) return;
    onDoc.current(doc);
    setLoaded(true);
  }, [client, storageKey, serverKeyJson, original]);

  useEffect(() => {
    void open();
    const flush = () => void syncRef.current?.flush();
    const onVisibility = () => {
      if (document.visibilityState === "hidden") flush();
    };
    window.addEventListener("pagehide", flush);
    document.addEventListener("visibilitychange", onVisibility);
    return () => {
      window.removeEventListener("pagehide", flush);
      document.removeEventListener("visibilitychange", onVisibility);
      const s = syncRef.current;
      syncRef.current = null;
      void s?.flush().finally(() => s.close());
    };
  }, [open]);

  return {
    loaded,
    saveState,
    conflict,
    dismissConflict: () => setConflict(null),
    change: (doc) => syncRef.current?.change(doc),
    reopen: open,
    flush: async () => {
      await syncRef.current?.flush();
    },
  };
}

function deviceName(): string {
  if (typeof navigator === "undefined") return "browser";
  const ua = navigator.userAgent;
  const browser = /Firefox\//.test(ua) ? "Firefox" : /Edg\//.test(ua) ? "Edge" : /Chrome\//.test(ua) ? "Chrome" : /Safari\//.test(ua) ? "Safari" : "browser";
  const os = /Windows/.test(ua) ? "Windows" : /Mac OS/.test(ua) ? "macOS" : /Android/.test(ua) ? "Android" : /iPhone|iPad/.test(ua) ? "iOS" : /Linux/.test(ua) ? "Linux" : "";
  return `${browser}${os ? ` on ${os}` : ""}`.slice(0, 80);
}
