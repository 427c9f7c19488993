"use client";
// The type-error counts in the headers of cells below a changed one. Only the edited cell has an
// editor, whose markers give its own count; a change to a cell above another (`const a = 1` →
// `const a = "x"`) changes that cell's errors too, without anyone touching it. After a pause in
// typing and in idle time, the cells below the first changed one that show a count (those
// checked before: a cell never edited has none) are checked again through the editor's
// TypeScript service, one at a time in its worker (code-area.tsx checkCellsBelow). Typing and
// running never wait for it; a newer change drops a check under way and starts over after it.
import { useEffect, useRef } from "react";
import type { TypedCellInput } from "@/lib/notebook/cell-types";
import type { Cell } from "@/lib/notebook/types";
import { checkCellsBelow } from "./code-area";
import { whenIdle } from "./idle-queue";

type Deps = Pick<typeof import("@/lib/notebook/dependencies"), "analyzeCell">;

/** How long typing must pause before the cells below are checked again. */
export const CHECK_BELOW_PAUSE_MS = 600;

const isTyped = (c: Cell) => c.kind === "code" || c.kind === "exercise";

export function useTypeErrorsBelow(options: {
  cells: readonly Cell[];
  editing: string | null;
  deps: Deps | null;
  counts: Readonly<Record<string, number>>;
  report(id: string, count: number): void;
}): void {
  const latest = useRef(options);
  latest.current = options;
  const before = useRef<{ id: string; source: string }[] | null>(null);
  // The first TypeScript cell (index among them) changed since the last finished check.
  const changedFrom = useRef(Infinity);
  const generation = useRef(0);

  const typed = options.cells.filter(isTyped);
  const key = typed.map((c) => `${c.id}\u0001${c.source}`).join("\u0000");

  useEffect(() => {
    const now = latest.current.cells.filter(isTyped).map((c) => ({ id: c.id, source: c.source }));
    const prev = before.current;
    before.current = now;
    if (prev) {
      let first = 0;
      while (first < now.length && first < prev.length && now[first].id === prev[first].id && now[first].source === prev[first].source) first++;
      if (first < now.length || first < prev.length) changedFrom.current = Math.min(changedFrom.current, first);
    }
    // Nothing changed since the last finished check (or the analysis arrived with nothing to do).
    if (changedFrom.current === Infinity) return;
    const gen = ++generation.current;
    const stale = () => gen !== generation.current;
    let idle: { cancel(): void } | null = null;
    const timer = setTimeout(() => {
      idle = whenIdle(() => {
        if (stale()) return;
        const { cells, editing, deps, counts, report } = latest.current;
        const ts = cells.filter(isTyped);
        const from = changedFrom.current;
        const targets = ts.flatMap((c, i) => (i > from && c.id !== editing && counts[c.id] !== undefined ? [i] : []));
        if (!deps || targets.length === 0) {
          if (deps) changedFrom.current = Infinity;
          return;
        }
        const upTo = Math.max(...targets);
        const inputs: TypedCellInput[] = ts.slice(0, upTo + 1).map((c) => ({ id: c.id, source: c.source, analysis: deps.analyzeCell({ id: c.id, kind: "code", source: c.source }) }));
        void checkCellsBelow(inputs, targets, stale).then(
          (found) => {
            if (stale()) return;
            for (const [id, count] of found) latest.current.report(id, count);
            if (found.size === targets.length) changedFrom.current = Infinity;
          },
          () => undefined,
        );
      });
    }, CHECK_BELOW_PAUSE_MS);
    return () => {
      clearTimeout(timer);
      idle?.cancel();
    };
  }, [key, options.deps]);
}
