"use client";
// A cell's source: a light highlighted view (static HTML, also server-rendered) until the cell is
// edited; then Monaco mounts (loaded once, lazily). 40 cells stay cheap: one editor at a time.
import dynamic from "next/dynamic";
import { memo } from "react";
import { highlightCode } from "./highlight";
import type { MonacoCellEditorProps } from "./monaco-editor";

const MonacoCellEditor = dynamic(() => import("./monaco-editor"), {
  ssr: false,
  loading: () => <div className="h-[38px] animate-pulse bg-stone-50" />,
});

export interface CodeAreaProps extends Omit<MonacoCellEditorProps, "language"> {
  language: "ts" | "sql" | "markdown";
  editing: boolean;
  onStartEdit(): void;
  placeholder?: string;
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
  if (editing) {
    return (
      <div className="py-1">
        <MonacoCellEditor {...props} language={language === "ts" ? "typescript" : language} />
      </div>
    );
  }
  return (
    <div
      className="cursor-text"
      onClick={(e) => {
        if (window.getSelection()?.toString()) return; // let people select and copy text
        e.stopPropagation();
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
