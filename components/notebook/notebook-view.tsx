"use client";
// The interactive notebook: document state (saved through lib/notebook-sync) apart from run state
// (statuses, in memory), one KernelClient per open notebook, Jupyter-style keys, stale marking
// from lib/notebook/dependencies (loaded lazily: it brings a parser).
import { useTranslations } from "next-intl";
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { flushSync } from "react-dom";
import type { KernelClient } from "@/lib/kernel/client";
import type { BackendInfo, BackendName, KernelStatus, RunEvent } from "@/lib/kernel/protocol";
import {
  changeCellKind,
  clearOutputs,
  createCell,
  deleteCell,
  findCellIndexOrThrow,
  getCell,
  insertCell,
  moveCell,
  resetCell,
  resetNotebook,
  setOutputs,
  setSource,
} from "@/lib/notebook/document";
import { definitionOffset, type TypedCellInput } from "@/lib/notebook/cell-types";
import type { Cell, CellOutput, NotebookDocument } from "@/lib/notebook/types";
import type { NotebookKey } from "@/lib/server/services/notebooks";
import { useTRPCClient } from "@/lib/trpc/react";
import { CellView, type CellActions } from "./cell-view";
import { preloadEditor } from "./code-area";
import { GradingProvider } from "./exercise-grading";
import { whenIdle } from "./idle-queue";
import { KernelBar } from "./kernel-bar";
import { ToolButton, Toolbar, type ToolbarActions } from "./toolbar";
import type { CellRuntime, CellStatus, RuntimeMap } from "./run-state";
import { usePersistence } from "./use-persistence";
import { useTypeErrorsBelow } from "./use-type-errors-below";
import { VersionsPanel } from "./versions-panel";
import "./notebook.css";

const NO_CELLS: readonly TypedCellInput[] = Object.freeze([]);
const sourcesKeyOf = (cells: readonly Cell[]) => cells.map((c) => `${c.id}\u0001${c.kind}\u0001${c.source}`).join("\u0000");

type Deps = typeof import("@/lib/notebook/dependencies");

export interface NotebookViewProps {
  /** IndexedDB key: "lesson:<slug>:<locale>", "scratch:<id>" or "local:<id>". */
  storageKey: string;
  /** Set for signed-in people: their copy is kept on the server too. */
  serverKey: NotebookKey | null;
  /** The lesson's pristine notebook (reset restores it), or the scratch notebook's first content. */
  original: NotebookDocument;
  /** Server-rendered HTML of markdown sources, keyed by source text. */
  prerendered: Record<string, string>;
  resettable: boolean;
  lessonSlug?: string;
  /** The class this lesson's runs are filed under (lib/server/services/classes lessonClassFor). */
  classId?: string | null;
  /** The signed-in person: `track` never uploads runs another account left in this browser. */
  userId?: string | null;
  signedIn: boolean;
  /** Shown above the toolbar (title, sign-in invitation). */
  header?: ReactNode;
  editableTitle?: boolean;
}

const IDLE: CellRuntime = { status: "idle" };

/** A run in progress: what its events have brought so far, not yet rendered. */
interface LiveRun {
  outputs: CellOutput[];
  count: number | null;
  /** The kernel started it (queued until then). */
  started: boolean;
  /** Its "running" status is on the page. */
  shownRunning: boolean;
}
const isRunnable = (c: Cell) => c.kind === "code" || c.kind === "sql" || c.kind === "exercise";
const staleIdsOf = (cells: Cell[], runtime: RuntimeMap) => cells.filter((c) => runtime[c.id]?.status === "stale").map((c) => c.id);

export function NotebookView(props: NotebookViewProps) {
  const { original, prerendered, resettable, serverKey, lessonSlug, classId, userId, signedIn } = props;
  const t = useTranslations("notebook");
  const trpc = useTRPCClient();

  // ---------- document ----------
  const [doc, setDocState] = useState<NotebookDocument>(original);
  const docRef = useRef(doc);
  const persistence = usePersistence({
    storageKey: props.storageKey,
    serverKey,
    original,
    onDocument: (d) => {
      docRef.current = d;
      setDocState(d);
    },
  });
  const persistRef = useRef(persistence);
  persistRef.current = persistence;
  const commit = useCallback((next: NotebookDocument) => {
    docRef.current = next;
    setDocState(next);
    persistRef.current.change(next);
  }, []);

  // ---------- run state ----------
  const [runtime, setRuntime] = useState<RuntimeMap>({});
  const runtimeRef = useRef(runtime);
  const patchRuntime = useCallback((id: string, patch: Partial<CellRuntime> | null) => {
    setRuntime((prev) => {
      const next = { ...prev, [id]: patch === null ? IDLE : { ...(prev[id] ?? IDLE), ...patch } };
      runtimeRef.current = next;
      return next;
    });
  }, []);
  const clearRuntime = useCallback(() => {
    runtimeRef.current = {};
    setRuntime({});
  }, []);
  const setStatuses = useCallback((ids: string[], status: CellStatus, onlyFrom?: CellStatus[]) => {
    if (ids.length === 0) return;
    setRuntime((prev) => {
      const next = { ...prev };
      for (const id of ids) {
        const cur = next[id] ?? IDLE;
        if (!onlyFrom || onlyFrom.includes(cur.status)) next[id] = { ...cur, status };
      }
      runtimeRef.current = next;
      return next;
    });
  }, []);

  const [deps, setDeps] = useState<Deps | null>(null);
  const depsRef = useRef<Deps | null>(null);
  const loaded = persistence.loaded;
  useEffect(() => {
    if (!loaded) return;
    let live = true;
    // Once the notebook is open: the analysis (sucrase + acorn per cell, cached by source) is
    // done one cell per idle job, so a long notebook never blocks the page; the graph (names
    // for completion) is used once every cell is analyzed. Stale marking can use it before.
    const load = () =>
      import("@/lib/notebook/dependencies").then((m) => {
        if (!live) return;
        depsRef.current = m;
        for (const cell of docRef.current.cells) whenIdle(() => live && m.analyzeCell(cell));
        whenIdle(() => live && setDeps(m));
      });
    whenIdle(() => void load());
    // Monaco too, once the text is on the page: the first edit then rarely waits for it (and
    // keys typed while it does go to the cell's text area).
    preloadEditor();
    return () => {
      live = false;
    };
  }, [loaded]);

  const markStaleAfter = useCallback((id: string, extraDocs: NotebookDocument[] = []) => {
    const d = depsRef.current;
    if (!d) return;
    const ids = new Set<string>();
    for (const nb of [docRef.current, ...extraDocs]) for (const s of d.staleAfter(id, d.dependencyGraph(nb.cells))) ids.add(s);
    setStatuses([...ids], "stale", ["done", "error"]);
  }, [setStatuses]);

  // ---------- kernel ----------
  const kernelRef = useRef<KernelClient | null>(null);
  const [kernelStatus, setKernelStatus] = useState<KernelStatus | "off">("off");
  const [backend, setBackend] = useState<BackendInfo | null>(null);
  const [notice, setNotice] = useState<{ kind: "lost" | "info" | "error"; text: string } | null>(null);
  const kernelReady = useRef<Promise<KernelClient> | null>(null);

  const ensureKernel = useCallback((): Promise<KernelClient> => {
    kernelReady.current ??= import("@/lib/kernel/client").then(({ KernelClient }) => {
      // 1 s of grace for a cooperative stop; then the worker is replaced (the 2 s budget includes the restart).
      const k = new KernelClient({ interruptGraceMs: 1000 });
      kernelRef.current = k;
      // `track` files runs under this lesson; signed in, it also uploads runs made as a guest.
      k.setContext({ lessonSlug: lessonSlug ?? null, classId: classId ?? null, userId: userId ?? null, signedIn }).catch(() => undefined);
      k.on((e) => {
        if (e.type === "status") setKernelStatus(e.status);
        else if (e.type === "backend") setBackend(e.info);
        else if (e.type === "restarted" && e.reason === "crash") setNotice({ kind: "lost", text: "crash" });
      });
      setKernelStatus(k.status);
      return k;
    });
    return kernelReady.current;
  }, []);

  useEffect(() => {
    // The worker starts when the page is idle; TensorFlow.js and DuckDB load inside it on first use.
    const idle = (window as { requestIdleCallback?: (cb: () => void, o?: object) => number }).requestIdleCallback;
    if (idle) idle(() => void ensureKernel(), { timeout: 3000 });
    else setTimeout(() => void ensureKernel(), 500);
    return () => {
      kernelRef.current?.dispose();
      kernelRef.current = null;
      kernelReady.current = null;
    };
  }, [ensureKernel]);

  // A run's events (status "running", streamed outputs) are applied once per animation frame, so a
  // cell that finishes within a frame renders once, at `done`; a longer one shows its prints live.
  const live = useRef(new Map<string, LiveRun>());
  const frame = useRef<number | null>(null);
  const flushLive = useCallback(() => {
    if (frame.current !== null) cancelAnimationFrame(frame.current);
    frame.current = null;
    let next = docRef.current;
    for (const [id, v] of live.current) {
      if (!v.started) continue;
      if (!v.shownRunning) {
        v.shownRunning = true;
        patchRuntime(id, { status: "running", check: undefined });
      }
      if (getCell(next, id)) next = setOutputs(next, id, v.outputs.slice(), v.count);
    }
    if (next !== docRef.current) commit(next);
  }, [commit, patchRuntime]);
  const scheduleLive = useCallback(() => {
    if (frame.current === null) frame.current = requestAnimationFrame(flushLive);
  }, [flushLive]);

  // Signed-in lesson readers: how many runnable cells ran fine, sent at most every few seconds.
  const cellsRunTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const reportCellsRun = useCallback(() => {
    if (!lessonSlug || !signedIn || cellsRunTimer.current) return;
    cellsRunTimer.current = setTimeout(() => {
      cellsRunTimer.current = null;
      const runnable = docRef.current.cells.filter(isRunnable);
      const ran = runnable.filter((c) => runtimeRef.current[c.id]?.status === "done").length;
      trpc.progress.recordCellsRun.mutate({ lessonSlug, cellsRun: ran, cellsTotal: runnable.length }).catch(() => undefined);
    }, 3000);
  }, [lessonSlug, signedIn, trpc]);

  const runOne = useCallback(
    (id: string): Promise<"ok" | "error" | "interrupted" | "skipped"> => {
      const cell = getCell(docRef.current, id);
      if (!cell || !isRunnable(cell)) return Promise.resolve("skipped");
      patchRuntime(id, { status: "queued" });
      const execute = async (kernel: KernelClient) => {
        const source = cell.source;
        const entry: LiveRun = { outputs: [], count: null, started: false, shownRunning: false };
        live.current.set(id, entry);
        const onEvent = (e: RunEvent) => {
          switch (e.type) {
            case "start":
              entry.count = e.executionCount;
              entry.started = true;
              break;
            case "stream": {
              const last = entry.outputs[entry.outputs.length - 1];
              if (last?.type === "stream" && last.name === e.name) entry.outputs[entry.outputs.length - 1] = { ...last, text: last.text + e.text };
              else entry.outputs.push({ type: "stream", name: e.name, text: e.text });
              break;
            }
            case "display": {
              const at = e.displayId ? entry.outputs.findIndex((o) => o.type === "display" && o.displayId === e.displayId) : -1;
              const out: CellOutput = { type: "display", data: e.data, ...(e.displayId ? { displayId: e.displayId } : {}) };
              if (at >= 0) entry.outputs[at] = out;
              else entry.outputs.push(out);
              break;
            }
            case "result":
              entry.outputs.push({ type: "result", data: e.data });
              break;
            case "error":
              entry.outputs.push({ type: "error", name: e.name, message: e.message, line: e.line, column: e.column });
              break;
            case "done":
              return; // handled below, in one render
          }
          scheduleLive();
        };
        // Posted to the worker right away (synchronously when it is ready): the page renders "queued" meanwhile.
        const handle = kernel.run(id, source, cell.kind as "code", { check: cell.kind === "exercise" ? cell.check : undefined, onEvent });
        const done = await handle.done;
        if (done.executionCount) entry.count = done.executionCount;
        entry.started = true; // a run stopped before it started still shows its error
        entry.shownRunning = true;
        const failed = done.status !== "ok" || entry.outputs.some((o) => o.type === "error");
        // Outputs, count and status in one synchronous render, in the task that brought `done`.
        flushSync(() => {
          flushLive();
          live.current.delete(id);
          patchRuntime(id, { status: failed ? "error" : "done", durationMs: done.durationMs, ranSource: source, check: done.check });
        });
        markStaleAfter(id);
        if (!failed) reportCellsRun();
        return done.status === "interrupted" ? "interrupted" : failed ? "error" : "ok";
      };
      const kernel = kernelRef.current;
      return kernel ? execute(kernel) : ensureKernel().then(execute);
    },
    [ensureKernel, flushLive, markStaleAfter, patchRuntime, reportCellsRun, scheduleLive],
  );

  // Runs go one after another; a batch (run all, run stale) stops at the first error.
  const chain = useRef<Promise<unknown>>(Promise.resolve());
  const batchToken = useRef(0);
  /** Batches queued or running; with none, a batch starts in the caller's task (the click). */
  const batches = useRef(0);
  const runMany = useCallback(
    (ids: string[]) => {
      const token = ++batchToken.current;
      const runnable = ids.filter((id) => {
        const c = getCell(docRef.current, id);
        return c && isRunnable(c);
      });
      setStatuses(runnable, "queued");
      const prev = new Map(runnable.map((id) => [id, runtimeRef.current[id] ?? IDLE]));
      const batch = async () => {
        for (let i = 0; i < runnable.length; i++) {
          if (token !== batchToken.current && runnable.length > 1) break;
          const r = await runOne(runnable[i]);
          if (r !== "ok" && r !== "skipped") {
            // the rest go back to what they were
            const rest = runnable.slice(i + 1);
            setRuntime((p) => {
              const next = { ...p };
              for (const id of rest) next[id] = { ...(prev.get(id) ?? IDLE), status: prev.get(id)?.status === "queued" ? "idle" : (prev.get(id)?.status ?? "idle") };
              runtimeRef.current = next;
              return next;
            });
            break;
          }
        }
      };
      const idle = batches.current === 0;
      batches.current++;
      const settle = () => void batches.current--;
      chain.current = (idle ? batch() : chain.current.then(batch)).then(settle, settle);
      return chain.current;
    },
    [runOne, setStatuses],
  );

  const interrupt = useCallback(async () => {
    const k = kernelRef.current;
    if (!k) return;
    batchToken.current++;
    const r = await k.interrupt();
    // anything still queued will not run
    setRuntime((p) => {
      const next: RuntimeMap = {};
      for (const [id, v] of Object.entries(p)) next[id] = v.status === "queued" ? { ...v, status: "idle" } : v;
      if (r.restarted) for (const [id, v] of Object.entries(next)) if (v.status === "done") next[id] = { ...v, status: "stale" };
      runtimeRef.current = next;
      return next;
    });
    if (r.restarted) setNotice({ kind: "lost", text: r.lostVariables.join(", ") });
  }, []);

  const restart = useCallback(async (thenRunAll = false) => {
    const k = await ensureKernel();
    batchToken.current++;
    const r = await k.restart();
    clearRuntime();
    setNotice(r.lostVariables.length ? { kind: "info", text: r.lostVariables.join(", ") } : null);
    chain.current = Promise.resolve();
    if (thenRunAll) void runMany(docRef.current.cells.map((c) => c.id));
  }, [clearRuntime, ensureKernel, runMany]);

  const switchBackend = useCallback(async (name: BackendName) => {
    const k = await ensureKernel();
    try {
      setBackend(await k.setBackend(name));
    } catch (e) {
      setNotice({ kind: "error", text: e instanceof Error ? e.message : String(e) });
    }
  }, [ensureKernel]);

  // ---------- selection, editing, keys ----------
  const [selected, setSelected] = useState<string | null>(null);
  const [editing, setEditing] = useState<string | null>(null);
  // Type errors per cell (from its editor) and where go to definition puts the caret.
  const [typeErrors, setTypeErrors] = useState<Record<string, number>>({});
  const [jump, setJump] = useState<{ id: string; offset: number } | null>(null);
  const selectedRef = useRef(selected);
  selectedRef.current = selected;
  const deleted = useRef<{ cell: Cell; index: number }[]>([]);
  const containerRef = useRef<HTMLDivElement>(null);

  const focusCell = useCallback((id: string | null) => {
    if (!id) return;
    requestAnimationFrame(() => {
      const el = containerRef.current?.querySelector<HTMLElement>(`[data-cell-id="${CSS.escape(id)}"]`);
      // A key pressed before this frame (Enter after B) may already have put the caret in the cell.
      if (el?.contains(document.activeElement)) return;
      el?.focus({ preventScroll: true });
      el?.scrollIntoView({ block: "nearest" });
    });
  }, []);

  const neighbour = (id: string, delta: number): string | null => {
    const cells = docRef.current.cells;
    const i = cells.findIndex((c) => c.id === id);
    return cells[i + delta]?.id ?? null;
  };

  /** Adds a cell next to `id` and edits it, or (`edit` false: the A and B keys, as in Jupyter) selects it. */
  const insertAt = useCallback((id: string | null, where: "above" | "below", kind: "code" | "markdown" | "sql" = "code", edit = true) => {
    const cell = createCell(kind);
    const cells = docRef.current.cells;
    const i = id ? cells.findIndex((c) => c.id === id) : cells.length - 1;
    commit(insertCell(docRef.current, cell, where === "above" ? Math.max(0, i) : i + 1));
    setSelected(cell.id);
    setEditing(edit ? cell.id : null);
    if (!edit) focusCell(cell.id);
  }, [commit, focusCell]);

  const actions: CellActions = useMemo(() => ({
    select: (id) => {
      setSelected(id);
      setEditing((e) => (e === id ? e : null));
    },
    edit: (id) => {
      setJump(null);
      if (id) setSelected(id);
      setEditing(id);
      if (!id && selectedRef.current) {
        // Leaving edit mode (Escape): the cell takes focus now, in this key's task, before its
        // editor unmounts; a frame later would be too late for a key typed at once (B after Escape).
        containerRef.current?.querySelector<HTMLElement>(`[data-cell-id="${CSS.escape(selectedRef.current)}"]`)?.focus({ preventScroll: true });
        focusCell(selectedRef.current);
      }
    },
    change: (id, source) => {
      const before = docRef.current;
      const cell = getCell(before, id);
      if (!cell || cell.source === source) return;
      const next = setSource(before, id, source);
      commit(next);
      const rt = runtimeRef.current[id];
      if (rt?.ranSource !== undefined && rt.ranSource !== source) markStaleAfter(id, [before]);
    },
    run: (id, advance = false) => {
      const cell = getCell(docRef.current, id);
      if (!cell) return;
      if (cell.kind === "markdown") setEditing(null);
      else void runMany([id]);
      if (advance) {
        const next = neighbour(id, 1);
        if (next) {
          setSelected(next);
          setEditing(null);
          focusCell(next);
        } else insertAt(id, "below");
      } else if (cell.kind === "markdown") focusCell(id);
    },
    move: (id, delta) => {
      const i = findCellIndexOrThrow(docRef.current, id);
      commit(moveCell(docRef.current, id, i + delta));
    },
    remove: (id) => {
      const i = findCellIndexOrThrow(docRef.current, id);
      deleted.current.push({ cell: docRef.current.cells[i], index: i });
      const next = neighbour(id, 1) ?? neighbour(id, -1);
      commit(deleteCell(docRef.current, id));
      setSelected(next);
      setEditing(null);
      focusCell(next);
    },
    reset: (id) => {
      if (!window.confirm(t("cell.confirmReset"))) return;
      try {
        commit(resetCell(docRef.current, id, original));
        patchRuntime(id, null);
      } catch {
        // a cell the student added has no original
      }
    },
    setKind: (id, kind) => {
      try {
        commit(changeCellKind(docRef.current, id, kind));
      } catch {
        // exercises and quizzes keep their kind
      }
    },
    insert: (id, where, kind) => insertAt(id, where, kind),
    typeErrors: (id, count) => setTypeErrors((m) => (m[id] === count ? m : { ...m, [id]: count })),
    goToDefinition: (id, name) => {
      const cell = getCell(docRef.current, id);
      if (!cell) return;
      setJump({ id, offset: definitionOffset(cell.source, name) ?? 0 });
      setSelected(id);
      setEditing(id);
      requestAnimationFrame(() => containerRef.current?.querySelector(`[data-cell-id="${CSS.escape(id)}"]`)?.scrollIntoView({ block: "center" }));
    },
    quizScore: (id, score) => {
      if (!lessonSlug || !signedIn) return;
      trpc.progress.recordQuizScore.mutate({ lessonSlug, score }).catch(() => undefined);
    },
  }), [commit, focusCell, insertAt, lessonSlug, markStaleAfter, original, patchRuntime, runMany, signedIn, t, trpc]);

  const lastD = useRef(0);
  const onKeyDown = (e: React.KeyboardEvent) => {
    const target = e.target as HTMLElement;
    if (editing || target.closest(".monaco-editor") || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)) return;
    const id = selected;
    if (!id) return;
    const key = e.key;
    const mod = e.ctrlKey || e.metaKey;
    if (key === "Enter" && e.shiftKey) actions.run(id, true);
    else if (key === "Enter" && mod) actions.run(id);
    else if (key === "Enter") {
      const c = getCell(docRef.current, id);
      if (c && c.kind !== "quiz") actions.edit(id);
    } else if (mod || e.altKey) return;
    else if (key === "ArrowDown" || key === "j" || key === "ArrowUp" || key === "k") {
      const n = neighbour(id, key === "ArrowDown" || key === "j" ? 1 : -1);
      if (n) {
        setSelected(n);
        focusCell(n);
      }
    } else if (key === "a" || key === "A") insertAt(id, "above", "code", false);
    else if (key === "b" || key === "B") insertAt(id, "below", "code", false);
    else if (key === "m" || key === "M") actions.setKind(id, "markdown");
    else if (key === "y" || key === "Y") actions.setKind(id, "code");
    else if (key === "d" || key === "D") {
      const now = Date.now();
      if (now - lastD.current < 600) {
        lastD.current = 0;
        actions.remove(id);
      } else lastD.current = now;
    } else if (key === "z" || key === "Z") {
      const last = deleted.current.pop();
      if (last && !getCell(docRef.current, last.cell.id)) {
        commit(insertCell(docRef.current, last.cell, last.index));
        setSelected(last.cell.id);
        focusCell(last.cell.id);
      }
    } else return;
    e.preventDefault();
  };

  // ---------- derived ----------
  const statusOf = (id: string) => runtime[id] ?? IDLE;
  const staleCount = staleIdsOf(doc.cells, runtime).length;
  const running = doc.cells.some((c) => ["running", "queued"].includes(runtime[c.id]?.status ?? ""));
  // The TypeScript cells above the edited one, for its editor's types (lib/notebook/cell-types.ts);
  // every other cell gets the same empty array, so typing re-renders only the edited cell.
  const editedIndex = editing ? doc.cells.findIndex((c) => c.id === editing) : -1;
  const earlierKey = editedIndex > 0 ? sourcesKeyOf(doc.cells.slice(0, editedIndex)) : "";
  const earlierCells = useMemo<readonly TypedCellInput[]>(() => {
    if (!deps || editedIndex <= 0) return NO_CELLS;
    return docRef.current.cells
      .slice(0, editedIndex)
      .filter((c) => c.kind === "code" || c.kind === "exercise")
      .map((c) => ({ id: c.id, source: c.source, analysis: deps.analyzeCell({ id: c.id, kind: "code", source: c.source }) }));
  // doc.cells matter only through earlierKey
  }, [deps, earlierKey, editedIndex]);

  // The counts of cells below the edited one follow its changes (their editors are closed).
  useTypeErrorsBelow({ cells: doc.cells, editing, deps, counts: typeErrors, report: actions.typeErrors });

  const toolbarActions: ToolbarActions = useMemo(() => ({
    runAll: () => void runMany(docRef.current.cells.map((c) => c.id)),
    runStale: () => void runMany(staleIdsOf(docRef.current.cells, runtimeRef.current)),
    interrupt: () => void interrupt(),
    restart: (thenRunAll) => void restart(thenRunAll),
    clearOutputs: () => commit(clearOutputs(docRef.current)),
    addCell: () => insertAt(selectedRef.current, "below"),
    getDoc: () => docRef.current,
    reset: () => {
      if (!window.confirm(t("confirmResetNotebook"))) return;
      commit(resetNotebook(original));
      clearRuntime();
    },
    import: (imported) => {
      if (!window.confirm(t("confirmImport"))) return;
      commit({ ...imported, metadata: { ...imported.metadata, ...(original.metadata.lessonSlug ? { lessonSlug: original.metadata.lessonSlug } : {}) } });
      clearRuntime();
    },
  }), [clearRuntime, commit, insertAt, interrupt, original, restart, runMany, t]);
  const reopen = persistence.reopen;
  const onVersionRestored = useCallback(() => void reopen(), [reopen]);

  const view = (
    <div className="flex flex-col gap-3" data-testid="notebook" data-loaded={persistence.loaded ? "true" : "false"}>
      {props.header}
      {props.editableTitle && (
        <input
          aria-label={t("title")}
          data-testid="notebook-title"
          value={doc.metadata.title}
          onChange={(e) => commit({ ...docRef.current, metadata: { ...docRef.current.metadata, title: e.target.value } })}
          className="w-full rounded-md border border-transparent bg-transparent px-1 text-2xl font-bold tracking-tight hover:border-stone-200 focus:border-stone-300"
        />
      )}
      <Toolbar
        loaded={persistence.loaded}
        staleCount={staleCount}
        running={running}
        resettable={resettable}
        saveState={persistence.saveState}
        actions={toolbarActions}
      />
      {persistence.conflict && (
        <div role="alert" data-testid="conflict-banner" className="flex flex-wrap items-center gap-3 rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900">
          <span>{t("conflict.message", { version: persistence.conflict.keptAsVersion })}</span>
          {serverKey && (
            <button
              type="button"
              data-testid="conflict-restore"
              className="rounded-md border border-amber-400 px-2 py-0.5 hover:bg-amber-100"
              onClick={async () => {
                await trpc.notebooks.restoreVersion.mutate({ key: serverKey, revision: persistence.conflict!.keptAsVersion });
                persistence.dismissConflict();
                await persistence.reopen();
              }}
            >
              {t("conflict.restore", { version: persistence.conflict.keptAsVersion })}
            </button>
          )}
          <button type="button" className="ml-auto text-amber-700 hover:underline" onClick={persistence.dismissConflict}>{t("dismiss")}</button>
        </div>
      )}
      {notice && (
        <div role="status" data-testid="kernel-notice" className={`flex items-center gap-3 rounded-md border px-3 py-2 text-sm ${notice.kind === "error" ? "border-red-200 bg-red-50 text-red-800" : "border-blue-200 bg-blue-50 text-blue-900"}`}>
          <span>
            {notice.kind === "error"
              ? notice.text
              : notice.text === "crash"
                ? t("kernel.crashed")
                : notice.text
                  ? t(notice.kind === "lost" ? "kernel.lostVariables" : "kernel.restartedLost", { names: notice.text })
                  : t("kernel.restartedNothingLost")}
          </span>
          <button type="button" className="ml-auto hover:underline" onClick={() => setNotice(null)}>{t("dismiss")}</button>
        </div>
      )}
      {serverKey && <VersionsPanel serverKey={serverKey} onRestored={onVersionRestored} />}
      <div ref={containerRef} className="flex flex-col gap-2" onKeyDown={onKeyDown}>
        {doc.cells.map((cell, i) => (
          <CellView
            key={cell.id}
            cell={cell}
            index={i}
            runtime={statusOf(cell.id)}
            selected={selected === cell.id}
            editing={editing === cell.id}
            ready={persistence.loaded}
            prerendered={cell.kind === "markdown" ? prerendered[cell.source] : undefined}
            inline={cell.kind === "quiz" ? prerendered : undefined}
            earlierCells={cell.id === editing ? earlierCells : NO_CELLS}
            typeErrors={typeErrors[cell.id]}
            caretAt={jump?.id === cell.id ? jump.offset : undefined}
            resettable={resettable && original.cells.some((c) => c.id === cell.id)}
            actions={actions}
          />
        ))}
        {doc.cells.length === 0 && <p className="py-6 text-center text-stone-500">{t("empty")}</p>}
        <div className="flex justify-center gap-2 py-2 text-sm">
          <ToolButton testId="add-code-cell" onClick={() => insertAt(doc.cells.at(-1)?.id ?? null, "below", "code")}>+ {t("toolbar.codeCell")}</ToolButton>
          <ToolButton testId="add-markdown-cell" onClick={() => insertAt(doc.cells.at(-1)?.id ?? null, "below", "markdown")}>+ {t("toolbar.markdownCell")}</ToolButton>
          <ToolButton testId="add-sql-cell" onClick={() => insertAt(doc.cells.at(-1)?.id ?? null, "below", "sql")}>+ SQL</ToolButton>
        </div>
      </div>
      <KernelBar status={kernelStatus} backend={backend} busy={running} onSwitch={switchBackend} />
    </div>
  );
  // A lesson's exercises are graded, and their hints and solutions handed out, by the server.
  return lessonSlug ? (
    <GradingProvider lessonSlug={lessonSlug} classId={classId ?? null} signedIn={signedIn} original={original}>
      {view}
    </GradingProvider>
  ) : (
    view
  );
}
