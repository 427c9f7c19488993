"use client";
// The Monaco editor of the focused cell, loaded on demand from /vendor/monaco/vs (self-hosted,
// copied there by scripts/copy-monaco-assets.mjs). The TypeScript service gets the kernel's
// globals and the names earlier cells define as extra libs.
import Editor, { loader, type Monaco, type OnMount } from "@monaco-editor/react";
import { useEffect, useRef } from "react";
import { earlierDefsDts, NOTEBOOK_GLOBALS_DTS } from "./globals-dts";

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
}

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

export default function MonacoCellEditor(props: MonacoCellEditorProps) {
  const { value, language, onChange, earlierNames, ariaLabel } = props;
  const cb = useRef(props);
  cb.current = props;
  const box = useRef<HTMLDivElement>(null);
  const monacoRef = useRef<Monaco | null>(null);

  const setDefs = (monaco: Monaco, names: string[]) => {
    defsLib?.dispose();
    defsLib = tsApi(monaco).typescriptDefaults.addExtraLib(earlierDefsDts(names), "file:///cuaderno/earlier-cells.d.ts");
  };

  useEffect(() => {
    if (monacoRef.current) setDefs(monacoRef.current, earlierNames);
  }, [earlierNames]);

  const onMount: OnMount = (editor, monaco) => {
    monacoRef.current = monaco;
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
    editor.focus();
    const model = editor.getModel();
    if (model) editor.setPosition(model.getFullModelRange().getEndPosition());
  };

  return (
    <div ref={box} className="min-h-[38px]" data-testid="cell-monaco">
      <Editor
        value={value}
        language={language}
        beforeMount={configure}
        onMount={onMount}
        onChange={(v) => onChange(v ?? "")}
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
  );
}
