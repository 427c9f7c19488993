"use client";
// A cell's source: a light highlighted view (static HTML, also server-rendered) until the cell is
// edited. Editing starts at once in a plain text area (draft-editor.tsx) that takes every key,
// while Monaco (loaded once, lazily, and preloaded in idle time) mounts beneath it and takes over
// its text and caret in one step. 40 cells stay cheap: one editor at a time.
import { memo, useCallback, useEffect, useLayoutEffect, useRef, useState } from "react";
import type { TextSelection } from "./caret";
import { DraftEditor, textOffsetAtPoint } from "./draft-editor";
import { highlightCode } from "./highlight";
import { whenIdle } from "./idle-queue";
import type { EditorHandOver, MonacoCellEditorProps } from "./monaco-editor";

type EditorModule = typeof import("./monaco-editor");
let editorModule: EditorModule | null = null;
let editorLoading: Promise<EditorModule> | null = null;

/** Loads Monaco (the wrapper chunk, its loader and editor scripts) once; a failure may be retried. */
function loadEditor(): Promise<EditorModule> {
  editorLoading ??= import("./monaco-editor")
    .then(async (m) => {
      await m.loadMonaco();
      editorModule = m;
      return m;
    })
    .catch((err: unknown) => {
      editorLoading = null;
      throw err;
    });
  return editorLoading;
}

/** Type errors of cells below the edited one (monaco-editor.tsx checkCellsBelow); none while Monaco is not loaded. */
export function checkCellsBelow(...args: Parameters<EditorModule["checkCellsBelow"]>): ReturnType<EditorModule["checkCellsBelow"]> {
  return editorModule ? editorModule.checkCellsBelow(...args) : Promise.resolve(new Map());
}

/** Starts loading Monaco when the page is next idle, so the first edit rarely waits for it. */
export function preloadEditor(): void {
  whenIdle(() => void loadEditor().catch(() => undefined));
}

export interface CodeAreaProps extends Omit<MonacoCellEditorProps, "language" | "onReady" | "pending"> {
  language: "ts" | "sql" | "markdown";
  editing: boolean;
  onStartEdit(): void;
  placeholder?: string;
  /** Where the caret starts when editing starts other than by a click (go to definition). */
  caretAt?: number;
}

export const StaticCode = memo(function StaticCode({ source, language }: { source: string; language: "ts" | "sql" }) {
  return (
    <pre className="code-static overflow-x-auto whitespace-pre px-3 py-2 font-mono text-[13px] leading-[1.45]" data-testid="cell-source">
      <code dangerouslySetInnerHTML={{ __html: highlightCode(source, language) + "\n" }} />
    </pre>
  );
});

export function CodeArea(props: CodeAreaProps) {
  const { editing, language, value, onStartEdit, placeholder } = props;
  // Where a click on the static view put the caret, for the editor that replaces it.
  const clickedAt = useRef<number | null>(null);
  useLayoutEffect(() => {
    if (!editing) clickedAt.current = null;
  }, [editing]);
  if (editing) return <CellEditor {...props} caret={clickedAt.current ?? props.caretAt ?? value.length} />;
  return (
    <div
      className="cursor-text"
      onClick={(e) => {
        if (window.getSelection()?.toString()) return; // let people select and copy text
        e.stopPropagation();
        const code = value === "" ? null : e.currentTarget.querySelector("code");
        clickedAt.current = code ? textOffsetAtPoint(code, e.clientX, e.clientY) : 0;
        onStartEdit();
      }}
    >
      {value === "" && placeholder ? (
        <pre className="px-3 py-2 font-mono text-[13px] text-stone-400" data-testid="cell-source">{placeholder}</pre>
      ) : (
        <StaticCode source={value} language={language === "sql" ? "sql" : "ts"} />
      )}
    </div>
  );
}

/** The cell being edited: the text area at once, Monaco once it is loaded and has taken over. */
function CellEditor(props: CodeAreaProps & { caret: number }) {
  const { language, value } = props;
  const [initialCaret] = useState(props.caret);
  const [Monaco, setMonaco] = useState<EditorModule["default"] | null>(() => editorModule?.default ?? null);
  const [live, setLive] = useState(false);
  const draft = useRef<HTMLTextAreaElement>(null);
  const composing = useRef(false);
  const pendingHandOver = useRef<(() => void) | null>(null);

  useEffect(() => {
    if (Monaco) return;
    let on = true;
    loadEditor().then(
      (m) => on && setMonaco(() => m.default),
      () => undefined, // offline or blocked: the text area stays the editor
    );
    return () => {
      on = false;
    };
  }, [Monaco]);

  // Monaco is mounted and laid out beneath the text area: hand the text and caret over now, in
  // this one task (no key can arrive between reading the text area and focusing Monaco), or at
  // the end of an IME composition.
  const onReady = useCallback((takeOver: (from: EditorHandOver) => void) => {
    const go = () => {
      pendingHandOver.current = null;
      const ta = draft.current;
      if (ta) {
        // Focus follows the keys: Monaco takes it when the text area had it, and also when nothing
        // has it (a re-render or the browser dropped it to <body>): keys typed from then on would
        // otherwise land nowhere, the text area being hidden.
        const active = document.activeElement;
        const focused = active === ta || active === null || active === document.body;
        const selection: TextSelection = { start: ta.selectionStart, end: ta.selectionEnd, direction: ta.selectionDirection };
        ta.style.display = "none";
        takeOver({ value: ta.value, selection, focus: focused });
      } else {
        takeOver({ value: null, selection: null, focus: true });
      }
      setLive(true);
    };
    if (composing.current) pendingHandOver.current = go;
    else go();
  }, []);

  const onComposing = useCallback((on: boolean) => {
    composing.current = on;
    // After the composition's last input event has updated the text.
    if (!on && pendingHandOver.current) setTimeout(() => !composing.current && pendingHandOver.current?.(), 0);
  }, []);

  return (
    <div className="relative">
      {!live && (
        <DraftEditor
          value={value}
          language={language}
          caret={initialCaret}
          ariaLabel={props.ariaLabel}
          textareaRef={draft}
          onChange={props.onChange}
          onRun={props.onRun}
          onEscape={props.onEscape}
          onComposing={onComposing}
        />
      )}
      {Monaco && (
        <Monaco
          value={value}
          language={language === "ts" ? "typescript" : language}
          onChange={props.onChange}
          onRun={props.onRun}
          onEscape={props.onEscape}
          earlierCells={props.earlierCells}
          onTypeErrors={props.onTypeErrors}
          onGoToCell={props.onGoToCell}
          ariaLabel={props.ariaLabel}
          pending={!live}
          onReady={onReady}
        />
      )}
    </div>
  );
}
