// Server side: the HTML of a notebook's markdown cells (lib/notebook/markdown: sanitized, isomorphic),
// rendered once so the lesson text is in the first response, readable before any script runs.
import type { NotebookDocument } from "@/lib/notebook/types";
import { renderMarkdown, renderMarkdownInline } from "@/lib/notebook/markdown";

/**
 * `maxChars` bounds the text rendered here (default: all). A student's own notebook may hold
 * 4 MB of markdown and math, which would hold the server for many seconds on every page view;
 * cells past the budget are rendered in the browser instead (cell-view does so when a cell has
 * no server HTML; quiz texts then show as plain text).
 */
export function prerenderMarkdown(doc: NotebookDocument, opts: { maxChars?: number } = {}): Record<string, string> {
  const out: Record<string, string> = {};
  let budget = opts.maxChars ?? Infinity;
  const afford = (text: string) => {
    if (text.length > budget) return false;
    budget -= text.length;
    return true;
  };
  for (const cell of doc.cells) {
    if (cell.kind === "markdown" && !cell.raw && !(cell.source in out) && afford(cell.source)) out[cell.source] = renderMarkdown(cell.source);
    if (cell.kind === "quiz") {
      // Quiz prompts, options and explanations hold inline markdown and math; keyed "inline:<text>".
      for (const q of cell.questions) {
        for (const text of [q.prompt, q.explanation ?? "", ...q.options.map((o) => o.text)]) {
          if (text && !(`inline:${text}` in out) && afford(text)) out[`inline:${text}`] = renderMarkdownInline(text);
        }
      }
    }
  }
  return out;
}
