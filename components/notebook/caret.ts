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

/** The indentation (leading spaces and tabs) of the line the offset is on: Enter keeps it. */
export function indentAt(text: string, offset: number): string {
  const start = text.lastIndexOf("\n", Math.max(0, offset - 1)) + 1;
  const line = text.slice(start, offset);
  return /^[ \t]*/.exec(line)![0];
}
