"use client";
// A question's text (prompt, option, explanation) with the lessons' inline markdown and math
// ($…$, `code`, **bold**), rendered by lib/notebook/markdown (KaTeX, allow-list sanitised).
import "katex/dist/katex.min.css";
import { useMemo } from "react";
import { renderMarkdownInline } from "@/lib/notebook/markdown";

export function RichText({ text, className }: { text: string; className?: string }) {
  const html = useMemo(() => renderMarkdownInline(text), [text]);
  return <span className={className} dangerouslySetInnerHTML={{ __html: html }} />;
}
