// Author mode's store (lib/teach/author-store.ts): a keystroke in one cell tells that cell's row
// and no other (the rows' snapshots of the 59 others stay the same objects, their listeners are
// not called), and the editor's own selectors (cell order, languages, meta) are unchanged by it;
// marks, undo/redo and structure changes still reach whoever shows them.
import { describe, expect, it } from "vitest";
import type { Cell } from "@/lib/notebook/types";
import { createAuthorStore, HISTORY } from "@/lib/teach/author-store";
import type { LessonBundle, LessonLocale } from "@/lib/teach/bundle";
import { addCell, deleteLessonCell, editLessonCell, moveLessonCell } from "@/lib/teach/edit";
import { markUpToDate } from "@/lib/teach/translation";

const N = 60;

function lesson(): LessonBundle {
  const cells: Cell[] = [];
  for (let i = 0; i < N; i++) {
    const id = `c-${String(i).padStart(12, "0")}`;
    cells.push((i % 2 ? { id, kind: "code", source: `const v${i} = ${i};`, outputs: [], executionCount: null } : { id, kind: "markdown", source: `## Paso ${i}` }) as Cell);
  }
  const doc = (locale: LessonLocale) => ({ format: 1 as const, metadata: { title: "T", locale }, cells: cells.map((c) => ({ ...c })) });
  return { meta: { title: { es: "T", en: "T" }, summary: { es: "", en: "" }, datasets: [], tags: [] }, docs: { es: doc("es"), en: doc("en") }, outdated: { es: [], en: [] } } as LessonBundle;
}

/** Subscribes every row as the editor does and counts the calls of each row's listener. */
function watchRows(store: ReturnType<typeof createAuthorStore>) {
  const calls = new Map<string, number>();
  const snaps = new Map<string, ReturnType<typeof store.row>>();
  for (const id of store.ids()) {
    snaps.set(id, store.row(id));
    calls.set(id, 0);
    store.subscribeRow(id, () => calls.set(id, calls.get(id)! + 1));
  }
  const notified = () => [...calls].filter(([, n]) => n > 0).map(([id]) => id);
  const changed = () => store.ids().filter((id) => store.row(id) !== snaps.get(id));
  const reset = () => {
    for (const id of store.ids()) {
      snaps.set(id, store.row(id));
      calls.set(id, 0);
    }
  };
  return { notified, changed, reset };
}

const type = (store: ReturnType<typeof createAuthorStore>, id: string, locale: LessonLocale, text: string) => {
  // As the editor does: the first key of an editing session is recorded and decides the marks.
  let source = store.row(id)[locale]!.source;
  [...text].forEach((ch, k) => {
    source += ch;
    store.dispatch({ type: "apply", f: (b) => editLessonCell(b, locale, id, { source }, k > 0), record: k === 0 });
  });
};

describe("author store", () => {
  it("a keystroke in one cell changes and notifies that row only; the editor's selectors stay the same", () => {
    const store = createAuthorStore(lesson());
    const rows = watchRows(store);
    const ids = store.ids();
    const meta = store.getState().bundle.meta;
    const locales = store.locales();
    let anyChange = 0;
    store.subscribe(() => anyChange++);
    const target = ids[30]!;
    type(store, target, "es", "hola");
    expect(anyChange).toBe(4); // autosave and the editor's selectors hear every change...
    expect(store.ids()).toBe(ids); // ...which leaves them as they were
    expect(store.getState().bundle.meta).toBe(meta);
    expect(store.locales()).toBe(locales);
    expect(rows.notified()).toEqual([target]);
    expect(rows.changed()).toEqual([target]);
    const row = store.row(target);
    expect(row.es!.source).toBe("## Paso 30hola");
    // The English cell is outdated when the Spanish one changes: a change of the same row.
    expect(row.outdatedEn).toBe(true);
    expect(row.outdatedEs).toBe(false);
    expect(store.row(target)).toBe(row); // the same snapshot while nothing changes
  });

  it("translating the outdated cell clears its mark in its row; undo and redo notify the rows they change", () => {
    const store = createAuthorStore(lesson());
    const id = store.ids()[7]!;
    type(store, id, "es", "x");
    const rows = watchRows(store);
    type(store, id, "en", "y");
    expect(rows.notified()).toEqual([id]);
    expect(store.row(id).outdatedEn).toBe(false);
    expect(store.row(id).outdatedEs).toBe(false);
    rows.reset();
    store.dispatch({ type: "undo" });
    expect(rows.notified()).toEqual([id]);
    expect(store.row(id).outdatedEn).toBe(true);
    expect(store.row(id).en!.source).toBe("const v7 = 7;");
    rows.reset();
    store.dispatch({ type: "redo" });
    expect(rows.notified()).toEqual([id]);
    expect(store.row(id).en!.source).toBe("const v7 = 7;y");
    rows.reset();
    store.dispatch({ type: "apply", f: (b) => ({ ...b, outdated: markUpToDate(b.outdated, id, "en") }), record: true });
    expect(rows.notified()).toEqual([]); // already up to date: nothing changed
  });

  it("structure changes reach the editor: a new order, an added and a deleted cell; the history is bounded", () => {
    const store = createAuthorStore(lesson());
    const rows = watchRows(store);
    const before = store.ids();
    store.dispatch({ type: "apply", f: (b) => moveLessonCell(b, before[0]!, 5), record: true });
    const moved = store.ids();
    expect(moved).not.toBe(before);
    expect(moved[5]).toBe(before[0]);
    expect(rows.notified()).toEqual([]); // a row's cells are the same objects wherever it stands
    let added = "";
    store.dispatch({ type: "apply", f: (b) => ((r) => ((added = r.id), r.bundle))(addCell(b, "quiz", moved[9]!)), record: true });
    expect(store.ids()[10]).toBe(added);
    expect(store.row(added).es!.kind).toBe("quiz");
    expect(store.row(added).en!.kind).toBe("quiz");
    store.dispatch({ type: "apply", f: (b) => deleteLessonCell(b, moved[3]!), record: true });
    expect(store.ids()).not.toContain(moved[3]);
    expect(rows.notified()).toEqual([moved[3]]);
    expect(store.row(moved[3]!).es).toBeUndefined();
    for (let i = 0; i < HISTORY + 10; i++) store.dispatch({ type: "apply", f: (b) => editLessonCell(b, "es", moved[1]!, { source: `v${i}` }, false), record: true });
    expect(store.getState().past.length).toBe(HISTORY);
  });

  it("hydration reads the row as the server rendered it; before any change that is the row itself", () => {
    const store = createAuthorStore(lesson());
    const id = store.ids()[40]!;
    expect(store.row(id)).toBe(store.initialRow(id));
    type(store, id, "en", "z");
    expect(store.initialRow(id).en!.source).toBe("## Paso 40");
    expect(store.row(id).en!.source).toBe("## Paso 40z");
    expect(store.initialRow("missing").es).toBeUndefined();
  });

  it("a row subscribed before a keystroke in another language of another cell is not told", () => {
    const store = createAuthorStore(lesson());
    const ids = store.ids();
    let told = 0;
    const off = store.subscribeRow(ids[2]!, () => told++);
    type(store, ids[3]!, "en", "abc");
    expect(told).toBe(0);
    type(store, ids[2]!, "en", "abc");
    expect(told).toBe(3);
    off();
    type(store, ids[2]!, "en", "d");
    expect(told).toBe(3);
  });
});
