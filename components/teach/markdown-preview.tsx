"use client";
// A text cell's rendered form beside its source in author mode (markdown with KaTeX, sanitized by
// lib/notebook/markdown). Rendering waits for a pause in typing and for idle time, and the module
// (KaTeX included) loads on first use, so opening a long lesson and typing stay cheap.
import { memo, useEffect, useState } from "react";

type MarkdownModule = typeof import("@/lib/notebook/markdown");
let loading: Promise<MarkdownModule> | null = null;
const loadMarkdown = () => (loading ??= import("@/lib/notebook/markdown"));

const idle = (f: () => void): (() => void) => {
  if (typeof requestIdleCallback === "function") {
    const h = requestIdleCallback(f, { timeout: 2000 });
    return () => cancelIdleCallback(h);
  }
  const h = setTimeout(f, 50);
  return () => clearTimeout(h);
};

export const MarkdownPreview = memo(function MarkdownPreview({ source }: { source: string }) {
  const [html, setHtml] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    let cancelIdle: (() => void) | null = null;
    const timer = setTimeout(() => {
      void loadMarkdown().then((m) => {
        if (live) cancelIdle = idle(() => live && setHtml(m.renderMarkdown(source)));
      });
    }, 400);
    return () => {
      live = false;
      clearTimeout(timer);
      cancelIdle?.();
    };
  }, [source]);
  if (html === null) return null;
  return <div className="prose-cuaderno max-w-none rounded border border-dashed border-stone-200 p-2 text-sm" data-testid="markdown-preview" dangerouslySetInnerHTML={{ __html: html }} />;
});
