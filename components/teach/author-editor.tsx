"use client";
// Author mode (issue 15 points 2–5): the lesson's cells with Spanish and English side by side,
// matched by id; add, move and delete cells (in both languages at once); exercise and quiz forms;
// "translation outdated" marks; autosave of the draft (optimistic, by revision) and undo/redo;
// "check lesson" (the server's rules and hidden tests, then every cell in a kernel here) and
// publish, refused with the problems linked to their cells; versions and assignment panels.
import { useMutation } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { memo, startTransition, Suspense, useCallback, useDeferredValue, useEffect, useId, useMemo, useRef, useState, useSyncExternalStore, type MutableRefObject } from "react";
import { whenIdle } from "@/components/notebook/idle-queue";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import type { Cell } from "@/lib/notebook/types";
import { createAuthorStore, type AuthorStore } from "@/lib/teach/author-store";
import { LESSON_LOCALES, type LessonBundle, type LessonLocale } from "@/lib/teach/bundle";
import type { CheckProblem } from "@/lib/teach/check";
import { addCell, addLanguage, deleteLessonCell, editLessonCell, moveLessonCell, removeLanguage, type NewCellKind } from "@/lib/teach/edit";
import { setExerciseGrading, type GradingChange } from "@/lib/teach/grading-fields";
import { markUpToDate } from "@/lib/teach/translation";
import { useTRPC } from "@/lib/trpc/react";
import { AssignPanel } from "./assign-panel";
import { browserKernelCheck } from "./browser-check";
import { CellForm, type CellPatch } from "./cell-form";
import { DetachedForm } from "@/components/notebook/detached-form";
import { ImagesPanel } from "./images-panel";
import { AuthorKernelContext, useAuthorKernel } from "./use-author-kernel";
import { useTeachError } from "./use-teach-error";
import { VersionsPanel } from "./versions-panel";

const AUTOSAVE_MS = 800;

const LANGUAGE_NAMES: Record<LessonLocale, string> = { es: "español", en: "English" };

interface RowProps {
  id: string;
  index: number;
  last: boolean;
  store: AuthorStore;
  problems: CheckProblem[];
  onEdit: (cellId: string, locale: LessonLocale, patch: CellPatch) => void;
  onSession: (cellId: string | null, locale: LessonLocale) => void;
  onMarkUpToDate: (cellId: string, locale: LessonLocale) => void;
  onMove: (cellId: string, to: number) => void;
  onDelete: (cellId: string) => void;
  onAdd: (kind: NewCellKind, afterId: string) => void;
  onGrading: (cellId: string, change: GradingChange) => void;
}

// A row off screen is neither laid out nor painted (its last size stands in): the field being
// typed in forces a layout of the document on each key (the browser's editing needs it), which
// then covers the rows on screen, not all 60.
const ROW_STYLE = { contentVisibility: "auto", containIntrinsicSize: "auto 360px" } as const;

// Each row is its own Suspense boundary, so hydration does not wait for the 60 rows: the editor
// hydrates (and takes clicks and keys) first, then React hydrates the server-rendered rows in
// background chunks, and at once the row a click or key lands in (selective hydration). Inside the
// memoized row, so a change elsewhere leaves a row still to hydrate untouched.
const CellRow = memo(function CellRow(props: RowProps) {
  return (
    <Suspense>
      <CellRowBody {...props} />
    </Suspense>
  );
});

// A row reads its own cells and marks from the store (subscribed by its cell id): a keystroke
// re-renders the row typed in and nothing else — neither the editor around the rows nor the 59
// other rows (tests/e2e/teach.e2e.ts checks it in the browser).
function CellRowBody({ id, index, last, store, problems, onEdit, onSession, onMarkUpToDate, onMove, onDelete, onAdd, onGrading }: RowProps) {
  const subscribe = useCallback((l: () => void) => store.subscribeRow(id, l), [store, id]);
  const snapshot = useCallback(() => store.row(id), [store, id]);
  const serverSnapshot = useCallback(() => store.initialRow(id), [store, id]);
  const readCell = useCallback((l: LessonLocale) => store.row(id)[l], [store, id]);
  const { es, en, outdatedEs: markEs, outdatedEn: markEn } = useSyncExternalStore(subscribe, snapshot, serverSnapshot);
  // A session's first key marks the other language's cell outdated: the mark shows in a render of
  // its own right after the key's (the field's text first, in the key's task; the mark's form,
  // its banner and the layout it shifts after that frame).
  const outdatedEs = useDeferredValue(markEs);
  const outdatedEn = useDeferredValue(markEn);
  const onAddHere = useCallback((k: NewCellKind) => onAdd(k, id), [onAdd, id]);
  const t = useTranslations("teach.editor");
  const tc = useTranslations("teach.check");
  const cells: Partial<Record<LessonLocale, Cell>> = { es, en };
  const outdated: Record<LessonLocale, boolean> = { es: outdatedEs, en: outdatedEn };
  const locales = LESSON_LOCALES.filter((l) => cells[l]);
  if (locales.length === 0) return null; // deleted; the list drops the row in the same render
  const kind = cells[locales[0]!]!.kind;
  return (
    <li id={`cell-${id}`} className="rounded-lg border border-stone-200 bg-white p-2 shadow-sm" style={ROW_STYLE} data-testid="author-cell" data-cell-id={id} data-kind={kind}>
      <div className="mb-1 flex items-center gap-2 text-xs text-stone-500">
        <span className="font-mono">{id}</span>
        <span className="rounded bg-stone-100 px-1.5">{t(`kinds.${kind}`)}</span>
        <span className="ml-auto flex gap-1">
          <button type="button" disabled={index === 0} onClick={() => onMove(id, index - 1)} className="rounded px-1 hover:bg-stone-100 disabled:opacity-30">
            ↑ <span className="sr-only">{t("moveUp")}</span>
          </button>
          <button type="button" disabled={last} onClick={() => onMove(id, index + 1)} className="rounded px-1 hover:bg-stone-100 disabled:opacity-30">
            ↓ <span className="sr-only">{t("moveDown")}</span>
          </button>
          <button type="button" onClick={() => onDelete(id)} className="rounded px-1 text-red-700 hover:bg-red-50" data-testid="delete-cell">
            {t("deleteCell")}
          </button>
        </span>
      </div>
      {problems.length > 0 && (
        <ul className="mb-1 text-xs text-red-700" data-testid="cell-problems">
          {problems.map((p, i) => (
            <li key={i}>
              {p.locale ? `[${p.locale}] ` : ""}
              {tc.has(p.key) ? tc(p.key, p.params) : p.message}
            </li>
          ))}
        </ul>
      )}
      <div className={`grid gap-2 ${locales.length === 2 ? "md:grid-cols-2" : ""}`}>
        {locales.map((l) => (
          <div key={l} lang={l}>
            <div className="text-[10px] uppercase text-stone-400">{l}</div>
            <CellForm cell={cells[l]!} locale={l} outdated={outdated[l]} onEdit={onEdit} onSession={onSession} onMarkUpToDate={onMarkUpToDate} onGrading={onGrading} readCell={readCell} />
          </div>
        ))}
      </div>
      <AddCellMenu onAdd={onAddHere} />
    </li>
  );
}

const AddCellMenu = memo(function AddCellMenu({ onAdd }: { onAdd: (kind: NewCellKind) => void }) {
  const t = useTranslations("teach.editor");
  return (
    <div className="mt-1 flex flex-wrap items-center gap-1 text-xs text-stone-500">
      <span>{t("addCell")}:</span>
      {(["markdown", "code", "sql", "exercise", "quiz"] as const).map((k) => (
        <button key={k} type="button" className="rounded border border-stone-200 px-1.5 hover:bg-stone-100" onClick={() => onAdd(k)} data-testid={`add-${k}`}>
          + {t(`kinds.${k}`)}
        </button>
      ))}
    </div>
  );
});

export function AuthorEditor({ slug, initial, revision: initialRevision, publishedVersion: initialPublished, mine, files = [] }: { slug: string; initial: LessonBundle; revision: number; publishedVersion: number; mine: boolean; files?: { name: string; size: number }[] }) {
  const t = useTranslations("teach.editor");
  const tc = useTranslations("teach.check");
  const trpc = useTRPC();
  const teachError = useTeachError();
  // The draft and its history live in a store outside React: the editor reads what it shows
  // through selectors that a keystroke in a cell leaves unchanged, so it does not re-render; each
  // row reads its own cells (CellRowBody).
  const [store] = useState(() => createAuthorStore(initial));
  const dispatch = store.dispatch;
  const ids = useSyncExternalStore(store.subscribe, store.ids, store.ids);
  const localeList = useSyncExternalStore(store.subscribe, store.locales, store.locales);
  const getMeta = useCallback(() => store.getState().bundle.meta, [store]);
  const meta = useSyncExternalStore(store.subscribe, getMeta, getMeta);
  const kernel = useAuthorKernel(slug);
  const [saveState, setSaveState] = useState<"saved" | "saving" | "conflict">("saved");
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [problems, setProblems] = useState<CheckProblem[] | null>(null);
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [published, setPublished] = useState(initialPublished);
  const revision = useRef(initialRevision);
  // What the server holds: its JSON (compared when a save is due) and the bundle it came from
  // (compared by reference on every change, so a keystroke serialises nothing).
  const [initialJson] = useState(() => JSON.stringify(initial));
  const savedJson = useRef(initialJson);
  const savedBundle = useRef<LessonBundle>(initial);
  const session = useRef<string | null>(null);

  const save = useMutation(trpc.teach.saveDraft.mutationOptions());
  const serverCheck = useMutation(trpc.teach.check.mutationOptions());
  const publish = useMutation(trpc.teach.publish.mutationOptions());

  // Autosave: one save in flight at a time; a change made meanwhile is saved after it.
  const inFlight = useRef<Promise<void> | null>(null);
  const flush = useCallback(async (): Promise<boolean> => {
    while (inFlight.current) await inFlight.current;
    const bundle = store.getState().bundle;
    const json = JSON.stringify(bundle);
    if (json === savedJson.current) {
      savedBundle.current = bundle;
      setSaveState((s) => (s === "conflict" ? s : "saved"));
      return true;
    }
    setSaveState("saving");
    let ok = true;
    inFlight.current = (async () => {
      try {
        const r = await save.mutateAsync({ slug, baseRevision: revision.current, bundle: JSON.parse(json) });
        if (r.status === "saved") {
          revision.current = r.revision;
          savedJson.current = json;
          savedBundle.current = bundle;
          setSaveState(store.getState().bundle === bundle ? "saved" : "saving");
        } else {
          ok = false;
          setSaveState("conflict");
        }
      } catch (e) {
        ok = false;
        setError(teachError(e));
        setSaveState("saved");
      } finally {
        inFlight.current = null;
      }
    })();
    await inFlight.current;
    return ok;
  }, [save, slug, teachError, store]);

  // Debounced: a change (a keystroke) only restarts the timer; the draft is serialised and
  // compared with the server's when typing pauses. Undo back to what is saved is "saved" at once.
  // Subscribed to the store, not rendered: a keystroke re-renders nothing here (the save state's
  // setter bails out while it stays "saving").
  useEffect(() => {
    let seen = store.getState().bundle;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const unsubscribe = store.subscribe(() => {
      const bundle = store.getState().bundle;
      if (bundle === seen) return;
      seen = bundle;
      clearTimeout(timer);
      if (bundle === savedBundle.current) {
        if (!inFlight.current) setSaveState((s) => (s === "saving" ? "saved" : s));
        return;
      }
      // Not in the key's task: the editor's render for "saving" (its toolbar, its 60 rows'
      // props compared) follows the key's own render.
      startTransition(() => setSaveState((s) => (s === "conflict" ? s : "saving")));
      timer = setTimeout(() => void flush(), AUTOSAVE_MS);
    });
    return () => {
      unsubscribe();
      clearTimeout(timer);
    };
  }, [store, flush]);

  useEffect(() => {
    const onHide = () => void flush();
    window.addEventListener("pagehide", onHide);
    return () => window.removeEventListener("pagehide", onHide);
  }, [flush]);

  const onEdit = useCallback((cellId: string, locale: LessonLocale, patch: CellPatch) => {
    const key = `${cellId}:${locale}`;
    const continuing = session.current === key;
    session.current = key;
    dispatch({ type: "apply", f: (b) => editLessonCell(b, locale, cellId, patch as never, continuing), record: !continuing });
  }, [dispatch]);
  const onSession = useCallback((cellId: string | null) => {
    if (cellId === null || !session.current?.startsWith(`${cellId}:`)) session.current = null;
  }, []);
  const onMarkUpToDate = useCallback((cellId: string, locale: LessonLocale) => dispatch({ type: "apply", f: (b) => ({ ...b, outdated: markUpToDate(b.outdated, cellId, locale) }), record: true }), [dispatch]);
  const onMove = useCallback((cellId: string, to: number) => dispatch({ type: "apply", f: (b) => moveLessonCell(b, cellId, to), record: true }), [dispatch]);
  const onDelete = useCallback((cellId: string) => dispatch({ type: "apply", f: (b) => deleteLessonCell(b, cellId), record: true }), [dispatch]);
  const onGrading = useCallback((cellId: string, change: GradingChange) => {
    session.current = null;
    dispatch({ type: "apply", f: (b) => setExerciseGrading(b, cellId, change), record: true });
  }, [dispatch]);
  const onMeta = useCallback((f: (b: LessonBundle) => LessonBundle) => dispatch({ type: "apply", f, record: true }), [dispatch]);
  const onRestored = useCallback((b: LessonBundle) => {
    savedBundle.current = b;
    dispatch({ type: "replace", bundle: b });
  }, [dispatch]);
  const onAdd = useCallback((kind: NewCellKind, afterId: string | null) => dispatch({ type: "apply", f: (b) => addCell(b, kind, afterId).bundle, record: true }), [dispatch]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      // A field's own editor (text area, Monaco) undoes its own typing.
      if (!(e.ctrlKey || e.metaKey) || target?.tagName === "TEXTAREA" || target?.tagName === "INPUT" || target?.closest(".author-code")) return;
      if (e.key === "z" && !e.shiftKey) (e.preventDefault(), dispatch({ type: "undo" }));
      else if (e.key === "y" || (e.key === "z" && e.shiftKey)) (e.preventDefault(), dispatch({ type: "redo" }));
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [dispatch]);

  // The editor takes keys from here on (bench/teach-editor.bench.mjs reads the mark).
  const [ready, setReady] = useState(false);
  useEffect(() => {
    performance.mark("author-ready");
    setReady(true);
  }, []);
  // The server renders the first rows only; the others follow once the page is idle, in an
  // interruptible render (a long lesson's HTML, parse and hydration stay those of a few rows).
  const [allRows, setAllRows] = useState(false);
  useEffect(() => {
    const job = whenIdle(() => startTransition(() => setAllRows(true)));
    return () => job.cancel();
  }, []);

  const locales = useMemo(() => localeList.split(",") as LessonLocale[], [localeList]);

  const runCheck = async (): Promise<CheckProblem[] | null> => {
    setError(null);
    setNotice(null);
    if (!(await flush())) return null;
    const server = await serverCheck.mutateAsync({ slug }).catch((e) => (setError(teachError(e)), null));
    if (!server) return null;
    const found = [...server.problems];
    for (const l of locales) {
      found.push(...(await browserKernelCheck(store.getState().bundle.docs[l]!, l, (done, total) => setProgress({ done, total }))));
    }
    setProgress(null);
    setProblems(found);
    if (found.length === 0) setNotice(t("checkOk"));
    return found;
  };

  const doPublish = async () => {
    const found = await runCheck();
    if (!found || found.length) return;
    try {
      const r = await publish.mutateAsync({ slug, revision: revision.current });
      if (r.status === "refused") setProblems(r.problems);
      else {
        setPublished(r.version);
        setNotice(t("publishedVersion", { version: r.version }));
      }
    } catch (e) {
      setError(teachError(e));
    }
  };

  const problemsBy = useMemo(() => {
    const by = new Map<string, CheckProblem[]>();
    for (const p of problems ?? []) if (p.cellId) by.set(p.cellId, [...(by.get(p.cellId) ?? []), p]);
    return by;
  }, [problems]);

  return (
    <AuthorKernelContext.Provider value={kernel}>
    <div className="flex flex-col gap-4" data-testid="author-editor" data-ready={ready ? "true" : "false"} data-rows={allRows ? "all" : "first"}>
      <div data-caret-inset="top" className="sticky top-0 z-10 flex flex-wrap items-center gap-2 border-b border-stone-200 bg-stone-50/95 py-2">
        <UndoRedo store={store} />
        <span className="text-xs text-stone-500" data-testid="save-state" data-state={saveState}>
          {saveState === "saving" ? t("saving") : saveState === "conflict" ? t("conflict") : t("saved")}
        </span>
        <span className="ml-auto flex gap-2">
          <Button variant="secondary" onClick={() => void runCheck()} disabled={serverCheck.isPending || progress !== null} data-testid="check-lesson">
            {progress ? t("checking", { done: progress.done, total: progress.total }) : t("check")}
          </Button>
          <Button onClick={() => void doPublish()} disabled={publish.isPending || serverCheck.isPending || progress !== null} data-testid="publish">
            {publish.isPending ? t("publishing") : t("publish")}
          </Button>
          <a className="rounded-md border border-stone-300 px-3 py-1.5 text-sm hover:bg-stone-100" href={`/api/teach/lessons/${slug}`} download>
            {t("export")}
          </a>
        </span>
      </div>
      {error && <Alert tone="error" testId="teach-error">{error}</Alert>}
      {notice && <Alert tone="success" testId="teach-notice">{notice}</Alert>}
      {problems && problems.length > 0 && (
        <Alert tone="error" testId="check-problems">
          <p className="font-medium">{t("problems")}</p>
          <ul className="list-disc pl-5">
            {problems.map((p, i) => (
              <li key={i}>
                {p.cellId ? (
                  <a href={`#cell-${p.cellId}`} className="underline" data-testid="problem-link">
                    {p.cellId}
                  </a>
                ) : null}
                {p.locale ? ` [${p.locale}]` : ""} {tc.has(p.key) ? tc(p.key, p.params) : p.message}
              </li>
            ))}
          </ul>
        </Alert>
      )}
      <MetaForm meta={meta} locales={localeList} onChange={onMeta} />
      <div className="flex flex-wrap gap-2 text-xs">
        {LESSON_LOCALES.map((l) =>
          locales.includes(l) ? (
            locales.length === 2 && (
              <Button key={l} variant="ghost" onClick={() => dispatch({ type: "apply", f: (b) => removeLanguage(b, l), record: true })}>
                {t("removeLanguage", { language: LANGUAGE_NAMES[l] })}
              </Button>
            )
          ) : (
            <Button key={l} variant="secondary" onClick={() => dispatch({ type: "apply", f: (b) => addLanguage(b, l), record: true })} data-testid={`add-language-${l}`}>
              {t("addLanguage", { language: LANGUAGE_NAMES[l] })}
            </Button>
          ),
        )}
        {locales.length === 1 && <span className="self-center text-stone-500">{t("onlyLanguage", { language: LANGUAGE_NAMES[locales[0]!] })}</span>}
      </div>
      <AddCellMenu onAdd={(k) => onAdd(k, null)} />
      <ol className="flex flex-col gap-3" data-testid="author-cells">
        {(allRows ? ids : ids.slice(0, FIRST_ROWS)).map((id, i) => (
          <CellRow
            key={id}
            id={id}
            index={i}
            last={i === ids.length - 1}
            store={store}
            problems={problemsBy.get(id) ?? NO_PROBLEMS}
            onEdit={onEdit}
            onSession={onSession}
            onMarkUpToDate={onMarkUpToDate}
            onMove={onMove}
            onDelete={onDelete}
            onAdd={onAdd}
            onGrading={onGrading}
          />
        ))}
      </ol>
      <Panels slug={slug} published={published} mine={mine} files={files} onRestored={onRestored} revision={revision} savedJson={savedJson} />
    </div>
    </AuthorKernelContext.Provider>
  );
}

const NO_PROBLEMS: CheckProblem[] = [];

/**
 * Undo and redo, subscribed to the history themselves: a session's first key (its undo entry)
 * re-renders these two buttons, not the editor around the rows.
 */
const UndoRedo = memo(function UndoRedo({ store }: { store: AuthorStore }) {
  const t = useTranslations("teach.editor");
  const getCanUndo = useCallback(() => store.getState().past.length > 0, [store]);
  const canUndo = useSyncExternalStore(store.subscribe, getCanUndo, getCanUndo);
  const getCanRedo = useCallback(() => store.getState().future.length > 0, [store]);
  const canRedo = useSyncExternalStore(store.subscribe, getCanRedo, getCanRedo);
  return (
    <>
      <Button variant="secondary" disabled={!canUndo} onClick={() => store.dispatch({ type: "undo" })} data-testid="undo">
        {t("undo")}
      </Button>
      <Button variant="secondary" disabled={!canRedo} onClick={() => store.dispatch({ type: "redo" })}>
        {t("redo")}
      </Button>
    </>
  );
});
/** Rows rendered by the server and hydrated with the editor (about two screens); the rest follow in idle time. */
const FIRST_ROWS = 8;

/** Versions, assignment and images: nothing of theirs changes while the author types. */
const Panels = memo(function Panels({ slug, published, mine, files, onRestored, revision, savedJson }: { slug: string; published: number; mine: boolean; files: { name: string; size: number }[]; onRestored: (b: LessonBundle) => void; revision: MutableRefObject<number>; savedJson: MutableRefObject<string> }) {
  return (
    <div className="grid gap-4 md:grid-cols-2">
      <VersionsPanel slug={slug} published={published} onRestored={onRestored} revision={revision} savedJson={savedJson} />
      <AssignPanel slug={slug} published={published} mine={mine} />
      <ImagesPanel slug={slug} initial={files} />
    </div>
  );
});

/** The lesson's meta: re-rendered when the meta changes, not on a keystroke in a cell. */
const MetaForm = memo(function MetaForm({ meta, locales: localeList, onChange }: { meta: LessonBundle["meta"]; locales: string; onChange: (f: (b: LessonBundle) => LessonBundle) => void }) {
  const t = useTranslations("teach.editor.meta");
  const locales = localeList.split(",") as LessonLocale[];
  const bundle = { meta };
  const list = (s: string) => s.split(",").map((x) => x.trim()).filter(Boolean);
  const input = "rounded-md border border-stone-300 px-2 py-1 text-sm";
  // Its fields belong to a form of their own (field-form.tsx).
  const form = useId();
  return (
    <fieldset className="grid gap-2 rounded-lg border border-stone-200 bg-white p-3 md:grid-cols-2" data-testid="lesson-meta">
      <DetachedForm id={form} />
      {locales.map((l) => (
        <div key={l} className="flex flex-col gap-1" lang={l}>
          <label className="text-xs text-stone-600">
            {t("title")} ({l})
            <input form={form} className={`${input} w-full`} value={bundle.meta.title[l] ?? ""} maxLength={200} onChange={(e) => onChange((b) => ({ ...b, meta: { ...b.meta, title: { ...b.meta.title, [l]: e.target.value } } }))} />
          </label>
          <label className="text-xs text-stone-600">
            {t("summary")} ({l})
            <textarea form={form} className={`${input} w-full`} rows={2} value={bundle.meta.summary[l] ?? ""} maxLength={2000} onChange={(e) => onChange((b) => ({ ...b, meta: { ...b.meta, summary: { ...b.meta.summary, [l]: e.target.value } } }))} />
          </label>
        </div>
      ))}
      <label className="text-xs text-stone-600">
        {t("minutes")}
        <input
          form={form}
          className={`${input} w-full`}
          type="number"
          min={1}
          max={600}
          value={bundle.meta.minutes ?? ""}
          onChange={(e) => {
            const n = Number.parseInt(e.target.value, 10);
            onChange((b) => {
              const { minutes: _m, ...rest } = b.meta;
              return { ...b, meta: Number.isFinite(n) && n > 0 ? { ...rest, minutes: Math.min(600, n) } : rest };
            });
          }}
        />
      </label>
      <label className="text-xs text-stone-600">
        {t("datasets")}
        <input form={form} className={`${input} w-full`} defaultValue={bundle.meta.datasets.join(", ")} onBlur={(e) => onChange((b) => ({ ...b, meta: { ...b.meta, datasets: list(e.target.value) } }))} />
      </label>
      <label className="text-xs text-stone-600">
        {t("tags")}
        <input form={form} className={`${input} w-full`} defaultValue={bundle.meta.tags.join(", ")} onBlur={(e) => onChange((b) => ({ ...b, meta: { ...b.meta, tags: list(e.target.value) } }))} />
      </label>
    </fieldset>
  );
});
