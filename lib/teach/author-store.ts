// Author mode's state outside React (issue 15 point 11): the draft bundle with its undo history,
// held in one store that the editor reads through selectors (useSyncExternalStore). A keystroke
// in a cell changes that cell only, so only the row showing it is told: each row subscribes by its
// cell id and gets the same snapshot object back while its cells and marks are unchanged; the
// editor around the rows subscribes to what it shows (cell order, languages, meta, undo and redo
// available), which a keystroke leaves as it was. Pure TypeScript: no React here.
import type { Cell } from "@/lib/notebook/types";
import { bundleLocales, LESSON_LOCALES, type LessonBundle, type LessonLocale } from "./bundle";
import { isOutdated } from "./translation";

export const HISTORY = 200;

export interface AuthorState {
  bundle: LessonBundle;
  past: LessonBundle[];
  future: LessonBundle[];
}

export type AuthorAction =
  | { type: "apply"; f: (b: LessonBundle) => LessonBundle; record: boolean }
  | { type: "undo" }
  | { type: "redo" }
  | { type: "replace"; bundle: LessonBundle };

export function authorReducer(s: AuthorState, a: AuthorAction): AuthorState {
  switch (a.type) {
    case "apply": {
      const bundle = a.f(s.bundle);
      if (bundle === s.bundle) return s;
      return a.record ? { bundle, past: [...s.past.slice(-HISTORY + 1), s.bundle], future: [] } : { ...s, bundle };
    }
    case "undo":
      return s.past.length ? { bundle: s.past.at(-1)!, past: s.past.slice(0, -1), future: [s.bundle, ...s.future] } : s;
    case "redo":
      return s.future.length ? { bundle: s.future[0]!, past: [...s.past, s.bundle], future: s.future.slice(1) } : s;
    case "replace":
      return { bundle: a.bundle, past: [], future: [] };
  }
}

/** What one row shows: its cell in each language and their outdated marks. */
export interface RowSnapshot {
  es?: Cell;
  en?: Cell;
  outdatedEs: boolean;
  outdatedEn: boolean;
}

export interface AuthorStore {
  getState(): AuthorState;
  dispatch(action: AuthorAction): void;
  /** Every change (the editor's own selectors, autosave). Returns the unsubscribe. */
  subscribe(listener: () => void): () => void;
  /** Changes of one row only: called when `row(id)` would return a different snapshot. */
  subscribeRow(id: string, listener: () => void): () => void;
  /** The row's snapshot: the same object as long as its cells and marks are the same. */
  row(id: string): RowSnapshot;
  /**
   * The row as the store's first bundle has it: what the server rendered, for hydration (a row
   * hydrated after a change to it renders the change right after).
   */
  initialRow(id: string): RowSnapshot;
  /** The cells' ids in order (the first language's): the same array while the order is unchanged. */
  ids(): readonly string[];
  /** The bundle's languages, comma-separated ("es,en"). */
  locales(): string;
}

const EMPTY_ROW: RowSnapshot = { outdatedEs: false, outdatedEn: false };

export function createAuthorStore(initial: LessonBundle): AuthorStore {
  let state: AuthorState = { bundle: initial, past: [], future: [] };
  const listeners = new Set<() => void>();
  const rowListeners = new Map<string, Set<() => void>>();
  const rows = new Map<string, RowSnapshot>();

  // Per language: the cells array last indexed and its id → position map. An edit replaces the
  // array but keeps the ids in place, so the map is reused after an id-by-id comparison.
  const indexed: Partial<Record<LessonLocale, { cells: readonly Cell[]; at: Map<string, number> }>> = {};
  const cellOf = (locale: LessonLocale, id: string): Cell | undefined => {
    const cells = state.bundle.docs[locale]?.cells;
    if (!cells) return undefined;
    let ix = indexed[locale];
    if (!ix || ix.cells !== cells) {
      const same = ix && ix.cells.length === cells.length && cells.every((c, i) => c.id === ix!.cells[i]!.id);
      ix = { cells, at: same ? ix!.at : new Map(cells.map((c, i) => [c.id as string, i])) };
      indexed[locale] = ix;
    }
    const i = ix.at.get(id);
    return i === undefined ? undefined : cells[i];
  };

  const row = (id: string): RowSnapshot => {
    const es = cellOf("es", id);
    const en = cellOf("en", id);
    const outdatedEs = isOutdated(state.bundle.outdated, "es", id);
    const outdatedEn = isOutdated(state.bundle.outdated, "en", id);
    const prev = rows.get(id);
    if (!prev && state.bundle === initial) {
      // The first snapshot of a row is its initial one, so hydration and the first render agree.
      const first = initialRow(id);
      rows.set(id, first);
      return first;
    }
    if (prev && prev.es === es && prev.en === en && prev.outdatedEs === outdatedEs && prev.outdatedEn === outdatedEn) return prev;
    if (!es && !en) return EMPTY_ROW;
    const next = { es, en, outdatedEs, outdatedEn };
    rows.set(id, next);
    return next;
  };

  const initialRows = new Map<string, RowSnapshot>();
  const initialRow = (id: string): RowSnapshot => {
    let r = initialRows.get(id);
    if (!r) {
      const find = (l: LessonLocale) => initial.docs[l]?.cells.find((c) => c.id === id);
      const es = find("es");
      const en = find("en");
      r = es || en ? { es, en, outdatedEs: isOutdated(initial.outdated, "es", id), outdatedEn: isOutdated(initial.outdated, "en", id) } : EMPTY_ROW;
      initialRows.set(id, r);
    }
    return r;
  };

  let idsCache: { cells: readonly Cell[] | undefined; ids: readonly string[] } = { cells: undefined, ids: [] };
  const ids = (): readonly string[] => {
    const first = bundleLocales(state.bundle)[0]!;
    const cells = state.bundle.docs[first]!.cells;
    if (idsCache.cells === cells) return idsCache.ids;
    const prev = idsCache.ids;
    const same = prev.length === cells.length && cells.every((c, i) => c.id === prev[i]);
    idsCache = { cells, ids: same ? prev : cells.map((c) => c.id as string) };
    return idsCache.ids;
  };

  return {
    getState: () => state,
    dispatch(action) {
      const next = authorReducer(state, action);
      if (next === state) return;
      const bundleChanged = next.bundle !== state.bundle;
      state = next;
      if (bundleChanged) {
        // Only the rows whose snapshot changed (a keystroke: the row typed in).
        for (const [id, set] of rowListeners) {
          const prev = rows.get(id);
          if (row(id) !== prev) for (const l of [...set]) l();
        }
        // Rows gone from the lesson: their snapshots are dropped.
        for (const id of rows.keys()) if (!rowListeners.has(id) && !cellOf("es", id) && !cellOf("en", id)) rows.delete(id);
      }
      for (const l of [...listeners]) l();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    subscribeRow(id, listener) {
      let set = rowListeners.get(id);
      if (!set) rowListeners.set(id, (set = new Set()));
      set.add(listener);
      row(id); // the snapshot the listener is told about changes of
      return () => {
        set.delete(listener);
        if (set.size === 0 && rowListeners.get(id) === set) rowListeners.delete(id);
      };
    },
    row,
    initialRow,
    ids,
    locales: () => LESSON_LOCALES.filter((l) => state.bundle.docs[l] !== undefined).join(","),
  };
}
