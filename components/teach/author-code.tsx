"use client";
// A code or text field of author mode in the students' editor (components/notebook/code-area):
// highlighted static text until it is clicked (or entered with Enter), then the text area that
// takes every key at once and Monaco taking its text and caret over when loaded — so 120 fields
// of a lesson cost one editor at a time. Editing ends with Escape or when focus leaves the field
// (the hand-over from the text area to Monaco stays inside it). Ctrl/Cmd+Enter and Shift+Enter
// run, as in the notebook.
import { memo, useCallback, useEffect, useRef, useState, type KeyboardEvent, type MouseEvent } from "react";
import { CodeArea, preloadEditor, StaticCode } from "@/components/notebook/code-area";
import { textOffsetAtPoint } from "@/components/notebook/draft-editor";
import type { TypedCellInput } from "@/lib/notebook/cell-types";
import "@/components/notebook/notebook.css";

const NO_CELLS: readonly TypedCellInput[] = [];
let preloaded = false;

export interface AuthorCodeProps {
  value: string;
  language: "ts" | "sql" | "markdown";
  label: string;
  placeholder?: string;
  testId: string;
  onChange(value: string): void;
  /** Editing started (true) or ended (false): one editing session (translation marks, undo). */
  onEditing(on: boolean): void;
  onRun?(): void;
}

export const AuthorCode = memo(function AuthorCode({ value, language, label, placeholder, testId, onChange, onEditing, onRun }: AuthorCodeProps) {
  const [caret, setCaret] = useState<number | null>(null);
  const box = useRef<HTMLDivElement>(null);
  const cb = useRef({ onEditing, onRun });
  cb.current = { onEditing, onRun };
  const editing = caret !== null;
  // Escape leaves the editor with the focus on the field, so Enter edits it again.
  const refocus = useRef(false);
  useEffect(() => {
    if (editing || !refocus.current) return;
    refocus.current = false;
    box.current?.querySelector<HTMLElement>("[data-static]")?.focus();
  }, [editing]);

  useEffect(() => {
    // Monaco loads in idle time once the editor is on screen, so the first field edited rarely waits.
    if (preloaded) return;
    preloaded = true;
    preloadEditor();
  }, []);

  const start = (at: number) => {
    setCaret(at);
    cb.current.onEditing(true);
  };
  const stop = useCallback(() => {
    setCaret((c) => {
      if (c !== null) cb.current.onEditing(false);
      return null;
    });
  }, []);

  const onClick = (e: MouseEvent<HTMLDivElement>) => {
    if (window.getSelection()?.toString()) return; // let people select and copy text
    const code = value === "" ? null : e.currentTarget.querySelector("code");
    start((code ? textOffsetAtPoint(code, e.clientX, e.clientY) : null) ?? value.length);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key !== "Enter" || e.target !== e.currentTarget) return;
    e.preventDefault();
    start(value.length);
  };

  return (
    <div
      ref={box}
      data-testid={testId}
      data-editing={editing ? "true" : "false"}
      className={`author-code overflow-hidden rounded-md border bg-white ${editing ? "border-accent ring-1 ring-accent/30" : "border-stone-300"}`}
      onBlur={() => {
        // After the hand-over (text area hidden, Monaco focused in the same task), focus is inside again.
        setTimeout(() => {
          const root = box.current;
          if (root && !root.contains(document.activeElement)) stop();
        }, 0);
      }}
    >
      {editing ? (
        <CodeArea
          editing
          value={value}
          language={language}
          caretAt={caret}
          earlierCells={NO_CELLS}
          ariaLabel={label}
          onStartEdit={() => undefined}
          onChange={onChange}
          onRun={() => cb.current.onRun?.()}
          onEscape={() => {
            refocus.current = true;
            stop();
          }}
        />
      ) : (
        <div data-static="" role="button" tabIndex={0} aria-label={label} className="cursor-text" onClick={onClick} onKeyDown={onKeyDown}>
          {value === "" ? (
            <pre className="px-3 py-2 font-mono text-[13px] text-stone-400">{placeholder ?? " "}</pre>
          ) : language === "markdown" ? (
            <pre className="code-static whitespace-pre-wrap break-words px-3 py-2 font-mono text-[13px] leading-[1.45]">
              <code>{value}</code>
            </pre>
          ) : (
            <StaticCode source={value} language={language} />
          )}
        </div>
      )}
    </div>
  );
});
