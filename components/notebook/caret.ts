// The caret hand-over between a cell's plain text area (which takes keys while Monaco loads) and
// Monaco: a text area speaks in UTF-16 offsets into its value, Monaco in 1-based line and column
// (also UTF-16 units). Pure, so the hand-over is tested without a browser.

export interface LineColumn {
  lineNumber: number;
  column: number;
}

/** A text area's selection: `start` ≤ `end`; "backward" means the caret is at `start`. */
export interface TextSelection {
  start: number;
  end: number;
  direction?: "forward" | "backward" | "none";
}

/** Monaco's ISelection: the anchor (selectionStart…) and the caret (position…). */
export interface EditorSelection {
  selectionStartLineNumber: number;
  selectionStartColumn: number;
  positionLineNumber: number;
  positionColumn: number;
}

/** Line and column of `offset` in `text` (clamped to the text); "\r\n" counts as one line break. */
export function lineColumnAt(text: string, offset: number): LineColumn {
  const at = Math.max(0, Math.min(Number.isFinite(offset) ? Math.floor(offset) : text.length, text.length));
  let lineNumber = 1;
  let lineStart = 0;
  for (let i = text.indexOf("\n"); i !== -1 && i < at; i = text.indexOf("\n", i + 1)) {
    lineNumber++;
    lineStart = i + 1;
  }
  // A caret between "\r" and "\n" belongs at the end of the line, before the break.
  const column = at - lineStart + 1 - (at > lineStart && text[at - 1] === "\r" && text[at] === "\n" ? 1 : 0);
  return { lineNumber, column };
}

/** The text area's selection as Monaco's, keeping which end the caret is on. */
export function editorSelectionOf(text: string, sel: TextSelection): EditorSelection {
  const lo = Math.min(sel.start, sel.end);
  const hi = Math.max(sel.start, sel.end);
  const a = lineColumnAt(text, lo);
  const b = lineColumnAt(text, hi);
  const [anchor, caret] = sel.direction === "backward" ? [b, a] : [a, b];
  return {
    selectionStartLineNumber: anchor.lineNumber,
    selectionStartColumn: anchor.column,
    positionLineNumber: caret.lineNumber,
    positionColumn: caret.column,
  };
}

const lineStartAt = (text: string, offset: number) => (offset <= 0 ? 0 : text.lastIndexOf("\n", offset - 1) + 1);

/** The indentation (leading spaces and tabs) of the line the offset is on, up to the offset. */
export function indentAt(text: string, offset: number): string {
  return /^[ \t]*/.exec(text.slice(lineStartAt(text, offset), offset))![0];
}

/**
 * What Enter inserts at `offset`, as Monaco would: a line break and the line's indentation, one
 * level (`unit`) more after an opening bracket.
 */
export function newlineAt(text: string, offset: number, unit = "  "): string {
  const before = text.slice(lineStartAt(text, offset), offset).trimEnd();
  return "\n" + indentAt(text, offset) + (/[{[(]$/.test(before) ? unit : "");
}

/**
 * How many characters before `offset` a closing bracket typed there takes away: one level of
 * indentation (a tab, or spaces back to a multiple of `unit`) when only indentation precedes it
 * on its line, as Monaco outdents it; otherwise 0.
 */
export function outdentBeforeClose(text: string, offset: number, unit = 2): number {
  const before = text.slice(lineStartAt(text, offset), offset);
  if (!/^[ \t]+$/.test(before)) return 0;
  if (before.endsWith("\t")) return 1;
  const spaces = before.length - before.trimEnd().length;
  return ((spaces - 1) % unit) + 1;
}
