"use client";
// A cell's editor from the moment it is clicked (or entered with Enter) until Monaco is ready: a
// real <textarea> laid over the highlighted code, focused in the same task as the click or key,
// so the browser itself puts every key typed meanwhile in place (Backspace, arrows, IME, undo).
// Its edits go through the same onChange as Monaco's; Monaco takes its text and caret over
// (monaco-editor.tsx). Small and Monaco-free: it is part of the page's first bundle.
import { useId, useLayoutEffect, useRef, type KeyboardEvent, type RefObject } from "react";
import { newlineAt, outdentBeforeClose } from "./caret";
import { DetachedForm } from "./detached-form";
import { highlightLines, type HighlightedLine, type HighlightedLines } from "./highlight";

export interface DraftEditorProps {
  value: string;
  language: "ts" | "sql" | "markdown";
  /** Where the caret starts (a text offset): where the person clicked, or the end. */
  caret: number;
  ariaLabel: string;
  textareaRef: RefObject<HTMLTextAreaElement | null>;
  onChange(value: string): void;
  onRun(advance: boolean): void;
  onEscape(): void;
  /** An IME composition starts or ends: the hand-over to Monaco waits for its end. */
  onComposing(composing: boolean): void;
}

/** Inserts text at the caret as typing would (undoable, fires `input`), or by hand where that is not supported. */
function insertAtCaret(ta: HTMLTextAreaElement, text: string, onChange: (v: string) => void): void {
  if (typeof document.execCommand === "function" && document.execCommand("insertText", false, text)) return;
  ta.setRangeText(text, ta.selectionStart, ta.selectionEnd, "end");
  onChange(ta.value);
}

export function DraftEditor(props: DraftEditorProps) {
  const { value, language, textareaRef, ariaLabel, onChange } = props;
  useLayoutEffect(() => {
    // Layout effect: focus in the very task that started editing, before the next key arrives.
    const ta = textareaRef.current;
    if (!ta) return;
    ta.focus({ preventScroll: true });
    const at = Math.max(0, Math.min(props.caret, ta.value.length));
    ta.setSelectionRange(at, at);
    // Only on mount: later renders must not move the caret the person is moving.
  }, []);

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.nativeEvent.isComposing || e.keyCode === 229) return; // the IME owns this key
    const ta = e.currentTarget;
    const mod = e.ctrlKey || e.metaKey;
    if (e.key === "Enter" && mod) {
      e.preventDefault();
      props.onRun(false);
    } else if (e.key === "Enter" && e.shiftKey && !e.altKey) {
      e.preventDefault();
      props.onRun(true);
    } else if (e.key === "Escape") {
      e.preventDefault();
      props.onEscape();
    } else if (e.key === "Enter" && !e.altKey) {
      // As in Monaco: a new line keeps the indentation, one level more after an opening bracket...
      e.preventDefault();
      insertAtCaret(ta, newlineAt(ta.value, ta.selectionStart), onChange);
    } else if ((e.key === "}" || e.key === "]" || e.key === ")") && !mod && ta.selectionStart === ta.selectionEnd) {
      // ...and a closing bracket that starts its line goes back one level.
      const back = outdentBeforeClose(ta.value, ta.selectionStart);
      if (back === 0) return;
      e.preventDefault();
      ta.setSelectionRange(ta.selectionStart - back, ta.selectionStart);
      insertAtCaret(ta, e.key, onChange);
    } else if (e.key === "Tab" && !mod && !e.altKey && !e.shiftKey) {
      e.preventDefault(); // indent, as in Monaco, rather than leave the cell
      insertAtCaret(ta, "  ", onChange);
    }
  };

  // The highlighted copy, one element per line, patched outside React: a key re-highlights and
  // rewrites only the lines it changed, not the whole text (its DOM and layout were most of a key's cost).
  const code = useRef<HTMLElement>(null);
  const shown = useRef<HighlightedLines | null>(null);
  useLayoutEffect(() => {
    if (!code.current) return;
    const next = highlightLines(value, language, shown.current);
    patchLines(code.current, shown.current?.lines ?? null, next.lines);
    shown.current = next;
  }, [value, language]);

  // The text area belongs to a form of its own (detached-form.tsx: Chrome's autofill then reads
  // that form's one control after a key, not the page's formless ones); named by the `form`
  // attribute, so this holds inside another form too.
  const formId = useId();

  return (
    <div className="code-draft grid">
      <DetachedForm id={formId} />
      <pre aria-hidden="true" className="code-static code-draft-layer">
        <code ref={code} />
      </pre>
      <textarea
        ref={textareaRef}
        form={formId}
        data-testid="cell-draft"
        aria-label={ariaLabel}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        onKeyDown={onKeyDown}
        onCompositionStart={() => props.onComposing(true)}
        onCompositionEnd={() => props.onComposing(false)}
        spellCheck={false}
        autoCapitalize="off"
        autoComplete="off"
        autoCorrect="off"
        rows={1}
        className="code-draft-layer code-draft-input"
      />
    </div>
  );
}

// Each line's newline in its element (the last one too: it gives a final empty line its height, as in the text area).
const lineElement = (l: HighlightedLine) => `<span>${l.html}\n</span>`;

/** Makes `code`'s line elements, which show `prev`, show `next`: only the lines between their common start and end change. */
export function patchLines(code: HTMLElement, prev: readonly HighlightedLine[] | null, next: readonly HighlightedLine[]): void {
  const nodes = code.childNodes;
  if (!prev || nodes.length !== prev.length) {
    code.innerHTML = next.map(lineElement).join("");
    return;
  }
  const max = Math.min(prev.length, next.length);
  let a = 0;
  while (a < max && prev[a].html === next[a].html) a++;
  let b = 0;
  while (b < max - a && prev[prev.length - 1 - b].html === next[next.length - 1 - b].html) b++;
  const oldEnd = prev.length - b;
  const newEnd = next.length - b;
  const both = Math.min(oldEnd, newEnd);
  for (let i = a; i < both; i++) (nodes[i] as Element).innerHTML = next[i].html + "\n";
  for (let i = oldEnd - 1; i >= both; i--) nodes[i].remove();
  if (newEnd > both) {
    const added = next.slice(both, newEnd).map(lineElement).join("");
    const before = nodes[both] as Element | undefined;
    if (before) before.insertAdjacentHTML("beforebegin", added);
    else code.insertAdjacentHTML("beforeend", added);
  }
}

/**
 * The text offset inside `root` (the static code view) under the point (x, y), so the caret
 * starts where the person clicked; null when the point is not on `root`'s text.
 */
export function textOffsetAtPoint(root: Element, x: number, y: number): number | null {
  const doc = root.ownerDocument as Document & {
    caretPositionFromPoint?(x: number, y: number): { offsetNode: Node; offset: number } | null;
    caretRangeFromPoint?(x: number, y: number): Range | null;
  };
  let node: Node | null = null;
  let offset = 0;
  const pos = doc.caretPositionFromPoint?.(x, y);
  if (pos) {
    node = pos.offsetNode;
    offset = pos.offset;
  } else {
    const r = doc.caretRangeFromPoint?.(x, y);
    if (r) {
      node = r.startContainer;
      offset = r.startOffset;
    }
  }
  if (!node || !root.contains(node)) return null;
  try {
    const range = doc.createRange();
    range.setStart(root, 0);
    range.setEnd(node, offset);
    return range.toString().length;
  } catch {
    return null;
  }
}
