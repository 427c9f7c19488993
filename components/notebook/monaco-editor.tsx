"use client";
// The Monaco editor of the focused cell, loaded on demand from /vendor/monaco/vs (self-hosted,
// copied there by scripts/copy-monaco-assets.mjs). The TypeScript service gets the kernel's
// globals and the names earlier cells define as extra libs. It mounts hidden beneath the cell's
// text area (code-area.tsx) and takes its text, caret and focus over in one step.
import Editor, { loader, type Monaco, type OnMount } from "@monaco-editor/react";
import type { editor as MonacoEditor } from "monaco-editor";
import { useEffect, useRef } from "react";
import { editorSelectionOf, type TextSelection } from "./caret";
import { earlierDefsDts, NOTEBOOK_GLOBALS_DTS } from "./globals-dts";
import { whenIdle } from "./idle-queue";

loader.config({ paths: { vs: "/vendor/monaco/vs" } });

export interface MonacoCellEditorProps {
  value: string;
  language: "typescript" | "sql" | "markdown";
  onChange(value: string): void;
  onRun(advance: boolean): void;
  onEscape(): void;
  /** Names earlier cells define (declared as `any` for completion). */
  earlierNames: string[];
  ariaLabel: string;
  /** Mounted out of sight (beneath the text area that has the keys) until it takes over. */
  pending?: boolean;
  /**
   * Called once the editor is laid out, with the function that makes it the cell's editor: it
   * sets the text and selection given, shows the editor and focuses it, synchronously. Without
   * `onReady` the editor takes over at once, with the caret at the end.
   */
  onReady?(takeOver: (from: EditorHandOver) => void): void;
}

/** What the text area hands over; `value: null` keeps the editor's own text and puts the caret at its end. */
export type EditorHandOver = { value: string; selection: TextSelection; focus: boolean } | { value: null; selection: null; focus: boolean };

let configured = false;
let defsLib: { dispose(): void } | null = null;

function tsApi(monaco: Monaco) {
  // monaco-editor ≥0.55 exposes `monaco.typescript`; older ones `monaco.languages.typescript`.
  return ((monaco as unknown as { typescript?: unknown }).typescript ?? monaco.languages.typescript) as typeof monaco.languages.typescript;
}

function configure(monaco: Monaco) {
  if (configured) return;
  configured = true;
  const ts = tsApi(monaco);
  const defaults = ts.typescriptDefaults;
  defaults.setCompilerOptions({
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    lib: ["es2022", "dom"],
    allowNonTsExtensions: true,
    strict: false,
    noImplicitAny: false,
  });
  // Cells are scripts with top-level await and a bare last expression; these codes are noise here.
  defaults.setDiagnosticsOptions({ noSemanticValidation: false, noSyntaxValidation: false, diagnosticCodesToIgnore: [1375, 1378, 2451, 7027, 80001, 80005, 1108] });
  defaults.addExtraLib(NOTEBOOK_GLOBALS_DTS, "file:///cuaderno/globals.d.ts");
}

let loading: Promise<Monaco> | null = null;

/** Loads Monaco's scripts and configures TypeScript (once); then, in idle time, starts its worker. */
export function loadMonaco(): Promise<Monaco> {
  loading ??= loader.init().then(
    (monaco) => {
      configure(monaco);
      whenIdle(() => warmTypeScript(monaco));
      return monaco;
    },
    (err: unknown) => {
      loading = null;
      throw err;
    },
  );
  return loading;
}

/** Starts the TypeScript worker (its script is most of Monaco's weight) before the first edit needs it. */
function warmTypeScript(monaco: Monaco): void {
  if (monaco.editor.getModels().some((m: { getLanguageId(): string }) => m.getLanguageId() === "typescript")) return; // already running
  // The TypeScript mode and its worker start with the first TypeScript model: a throwaway one.
  const probe = monaco.editor.createModel("", "typescript");
  tsApi(monaco)
    .getTypeScriptWorker()
    .then((worker: (...uris: unknown[]) => Promise<unknown>) => worker(probe.uri))
    .catch(() => undefined)
    .finally(() => probe.dispose());
}

export default function MonacoCellEditor(props: MonacoCellEditorProps) {
  const { value, language, onChange, earlierNames, ariaLabel } = props;
  const cb = useRef(props);
  cb.current = props;
  const box = useRef<HTMLDivElement>(null);
  const frame = useRef<HTMLDivElement>(null);
  const monacoRef = useRef<Monaco | null>(null);
  const editorRef = useRef<MonacoEditor.IStandaloneCodeEditor | null>(null);
  // Monaco's own edits, counted. The source comes back as `value` a render later; by then more
  // keys may have been typed, so a render that Monaco's typing has overtaken must not be pushed
  // back into it (@monaco-editor/react's controlled `value` would, and undo those keys).
  const ownEdits = useRef(0);
  const ownEditsAtRender = ownEdits.current;
  useEffect(() => {
    const editor = editorRef.current;
    const model = editor?.getModel();
    if (!editor || !model || ownEdits.current !== ownEditsAtRender || model.getValue() === value) return;
    // A change from elsewhere: the text area before the hand-over, "use solution", a reset.
    editor.executeEdits("cuaderno", [{ range: model.getFullModelRange(), text: value, forceMoveMarkers: true }]);
    editor.pushUndoStop();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [value]);

  const setDefs = (monaco: Monaco, names: string[]) => {
    defsLib?.dispose();
    defsLib = tsApi(monaco).typescriptDefaults.addExtraLib(earlierDefsDts(names), "file:///cuaderno/earlier-cells.d.ts");
  };

  useEffect(() => {
    if (monacoRef.current) setDefs(monacoRef.current, earlierNames);
  }, [earlierNames]);

  const onMount: OnMount = (editor, monaco) => {
    monacoRef.current = monaco;
    editorRef.current = editor;
    setDefs(monaco, cb.current.earlierNames);
    const fit = () => {
      const h = Math.max(38, Math.min(editor.getContentHeight(), 900));
      if (box.current) box.current.style.height = `${h}px`;
      editor.layout();
    };
    editor.onDidContentSizeChange(fit);
    fit();
    editor.addAction({ id: "cuaderno.run-advance", label: "Run cell and advance", keybindings: [monaco.KeyMod.Shift | monaco.KeyCode.Enter], run: () => cb.current.onRun(true) });
    editor.addAction({ id: "cuaderno.run", label: "Run cell", keybindings: [monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter], run: () => cb.current.onRun(false) });
    editor.addCommand(monaco.KeyCode.Escape, () => cb.current.onEscape(), "!suggestWidgetVisible && !findWidgetVisible");
    const takeOver = (from: EditorHandOver) => {
      const model = editor.getModel();
      if (!model) return;
      if (from.value !== null && model.getValue() !== from.value) model.setValue(from.value);
      const f = frame.current;
      if (f) {
        f.classList.remove("cell-monaco-pending");
        f.inert = false;
        f.removeAttribute("aria-hidden");
      }
      fit();
      if (from.selection && from.value !== null) editor.setSelection(editorSelectionOf(from.value, from.selection));
      else editor.setPosition(model.getFullModelRange().getEndPosition());
      if (from.focus) editor.focus();
      // Monaco hands its text and selection to the browser's EditContext only when it next
      // renders (a frame later): a key typed before that would be applied to the stale state
      // and land in the wrong place or not at all. Render now, in this same task.
      editor.render(true);
      const at = editor.getPosition();
      if (at) editor.revealPositionInCenterIfOutsideViewport(at);
    };
    if (cb.current.onReady) cb.current.onReady(takeOver);
    else takeOver({ value: null, selection: null, focus: true });
  };

  return (
    <div ref={frame} className={props.pending ? "cell-monaco-pending py-1" : "py-1"} inert={props.pending || undefined} aria-hidden={props.pending || undefined}>
      <div ref={box} className="min-h-[38px]" data-testid="cell-monaco">
        <Editor
          defaultValue={value}
          language={language}
          beforeMount={configure}
          onMount={onMount}
          onChange={(v) => {
            ownEdits.current++;
            onChange(v ?? "");
          }}
          loading={null}
          options={{
            minimap: { enabled: false },
            scrollBeyondLastLine: false,
            lineNumbers: "off",
            glyphMargin: false,
            folding: false,
            fontSize: 13.5,
            lineDecorationsWidth: 8,
            renderLineHighlight: "none",
            overviewRulerLanes: 0,
            scrollbar: { vertical: "hidden", alwaysConsumeMouseWheel: false },
            automaticLayout: true,
            wordWrap: "on",
            tabSize: 2,
            fixedOverflowWidgets: true,
            ariaLabel,
          }}
        />
      </div>
    </div>
  );
}
