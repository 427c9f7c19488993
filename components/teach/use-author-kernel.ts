"use client";
// Author mode runs cells as students do (issue 15 point 2): the same kernel worker
// (lib/kernel/client, loaded on the first run), one per editor page, cells run one after another
// in the order the author runs them. What a run shows — status, outputs as the worker streams
// them, an exercise's browser check — lives here, per cell and language (and per exercise
// part: starter or solution), never in the draft: a lesson file holds no outputs.
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, useSyncExternalStore } from "react";
import type { KernelClient } from "@/lib/kernel/client";
import type { RunEvent } from "@/lib/kernel/protocol";
import type { CellOutput } from "@/lib/notebook/types";

export interface AuthorRun {
  status: "queued" | "running" | "done" | "error";
  outputs: CellOutput[];
  check?: "passed" | "failed";
  durationMs?: number;
}

export interface AuthorRunRequest {
  /** Where the result shows: `${cellId}:${locale}` or `${cellId}:${locale}:solution`. */
  key: string;
  cellId: string;
  source: string;
  kind: "code" | "sql" | "exercise";
  check?: string;
}

/** Folds one run event into the outputs shown (streams of the same name join, displays update in place). */
export function applyRunEvent(outputs: CellOutput[], e: RunEvent): CellOutput[] {
  switch (e.type) {
    case "stream": {
      const last = outputs[outputs.length - 1];
      if (last?.type === "stream" && last.name === e.name) return [...outputs.slice(0, -1), { ...last, text: last.text + e.text }];
      return [...outputs, { type: "stream", name: e.name, text: e.text }];
    }
    case "display": {
      const out: CellOutput = { type: "display", data: e.data, ...(e.displayId ? { displayId: e.displayId } : {}) };
      const at = e.displayId ? outputs.findIndex((o) => o.type === "display" && o.displayId === e.displayId) : -1;
      return at >= 0 ? outputs.map((o, i) => (i === at ? out : o)) : [...outputs, out];
    }
    case "result":
      return [...outputs, { type: "result", data: e.data }];
    case "error":
      return [...outputs, { type: "error", name: e.name, message: e.message, line: e.line, column: e.column }];
    default:
      return outputs;
  }
}

/** What each key's last run shows; a component subscribes to its own keys only (a run re-renders that field, not the lesson). */
export class AuthorRuns {
  private readonly map = new Map<string, AuthorRun>();
  private readonly listeners = new Map<string, Set<() => void>>();
  get(key: string): AuthorRun | undefined {
    return this.map.get(key);
  }
  set(key: string, run: AuthorRun): void {
    this.map.set(key, run);
    for (const f of this.listeners.get(key) ?? []) f();
  }
  subscribe(key: string, f: () => void): () => void {
    let set = this.listeners.get(key);
    if (!set) this.listeners.set(key, (set = new Set()));
    set.add(f);
    return () => void set.delete(f);
  }
}

export interface AuthorKernel {
  runs: AuthorRuns;
  run(req: AuthorRunRequest): Promise<AuthorRun>;
}

export const AuthorKernelContext = createContext<AuthorKernel | null>(null);

/** The last run of `key` (undefined: never run), re-rendering only when it changes. */
export function useAuthorRun(key: string): AuthorRun | undefined {
  const k = useContext(AuthorKernelContext);
  return useSyncExternalStore(
    (f) => k?.runs.subscribe(key, f) ?? (() => undefined),
    () => k?.runs.get(key),
    () => undefined,
  );
}

export function useAuthorKernel(lessonSlug: string): AuthorKernel {
  const [runs] = useState(() => new AuthorRuns());
  const kernel = useRef<Promise<KernelClient> | null>(null);
  const chain = useRef<Promise<unknown>>(Promise.resolve());

  const ensure = useCallback(() => {
    kernel.current ??= import("@/lib/kernel/client").then(({ KernelClient }) => {
      const k = new KernelClient({ interruptGraceMs: 1000 });
      k.setContext({ lessonSlug, signedIn: true }).catch(() => undefined);
      return k;
    });
    return kernel.current;
  }, [lessonSlug]);

  useEffect(
    () => () => {
      void kernel.current?.then((k) => k.dispose());
      kernel.current = null;
    },
    [],
  );

  const run = useCallback(
    (req: AuthorRunRequest): Promise<AuthorRun> => {
      runs.set(req.key, { status: "queued", outputs: [] });
      const go = async (): Promise<AuthorRun> => {
        const k = await ensure();
        let outputs: CellOutput[] = [];
        // Streamed outputs are shown once per frame, not once per event.
        let frame: number | null = null;
        const show = () => {
          frame = null;
          runs.set(req.key, { status: "running", outputs });
        };
        const handle = k.run(req.cellId, req.source, req.kind, {
          ...(req.check !== undefined ? { check: req.check } : {}),
          onEvent: (e) => {
            outputs = applyRunEvent(outputs, e);
            if (e.type !== "done" && frame === null) frame = requestAnimationFrame(show);
          },
        });
        const done = await handle.done;
        if (frame !== null) cancelAnimationFrame(frame);
        const failed = done.status !== "ok" || outputs.some((o) => o.type === "error");
        const result: AuthorRun = { status: failed ? "error" : "done", outputs, durationMs: done.durationMs, ...(done.check ? { check: done.check } : {}) };
        runs.set(req.key, result);
        return result;
      };
      const next = chain.current.then(go, go);
      chain.current = next.catch(() => undefined);
      return next;
    },
    [ensure, runs],
  );

  return useMemo(() => ({ runs, run }), [runs, run]);
}
