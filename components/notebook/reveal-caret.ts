// Keeps Monaco's caret in the window while a person types. A cell's editor grows with its text
// instead of scrolling inside, so a caret going down past the window's bottom edge (Enter at the
// end of a long cell, arrow keys) would go out of sight: the page never scrolls for it, since
// Monaco's own reveal only scrolls inside the editor. A text area gets this from the browser; here
// the page scrolls by the least amount that shows the caret line, clear of the bars that stay on
// screen (elements marked data-caret-inset="top" or "bottom": the notebook's toolbar, its kernel bar).

/** Pixels kept between the caret line and the edge it came to. */
export const CARET_MARGIN = 8;

/**
 * How far (px) to scroll the window down (positive) or up (negative) so that a line spanning
 * `top`…`bottom` (window coordinates) lies between `upper` and `lower` with `margin` around it;
 * 0 when it already does. A line taller than the room is aligned at its top.
 */
export function scrollToShow(line: { top: number; bottom: number }, room: { upper: number; lower: number }, margin = CARET_MARGIN): number {
  if (line.top - margin < room.upper) return line.top - margin - room.upper;
  if (line.bottom + margin > room.lower) return Math.min(line.bottom + margin - room.lower, line.top - margin - room.upper);
  return 0;
}

/** The part of the window not covered by the bars that stay on screen (window coordinates). */
function visibleRoom(): { upper: number; lower: number } {
  let upper = 0;
  let lower = window.innerHeight;
  for (const el of document.querySelectorAll<HTMLElement>("[data-caret-inset]")) {
    const r = el.getBoundingClientRect();
    if (r.height === 0) continue;
    if (el.dataset.caretInset === "top") upper = Math.max(upper, r.bottom);
    else lower = Math.min(lower, r.top);
  }
  return { upper, lower };
}

/** The slice of Monaco's editor API this uses. */
export interface CaretEditor {
  getPosition(): { lineNumber: number; column: number } | null;
  getScrolledVisiblePosition(p: { lineNumber: number; column: number }): { top: number; left: number; height: number } | null;
  getDomNode(): HTMLElement | null;
}

/** Scrolls the window, if needed, so that the editor's caret line is in sight. */
export function revealCaretInWindow(editor: CaretEditor): void {
  const position = editor.getPosition();
  const node = editor.getDomNode();
  if (!position || !node || !node.isConnected) return;
  const at = editor.getScrolledVisiblePosition(position);
  if (!at) return;
  const box = node.getBoundingClientRect();
  // Within the editor's own box only (Monaco scrolls inside past its maximum height).
  const top = box.top + Math.max(0, Math.min(at.top, box.height - at.height));
  const delta = scrollToShow({ top, bottom: top + at.height }, visibleRoom());
  if (delta !== 0) window.scrollBy(0, delta);
}
