// Server side: the HTML of a notebook's markdown cells (lib/notebook/markdown: sanitized, isomorphic),
// rendered once so the lesson text is in the first response, readable before any script runs.
import type { NotebookDocument } from "@/lib/notebook/types";
import { renderMarkdown, renderMarkdownInline } from "@/lib/notebook/markdown";

export function prerenderMarkdown(doc: NotebookDocument): Record<string, string> {
  const out: Record<string, string> = {};
  for (const cell of doc.cells) {
    if (cell.kind === "markdown" && !cell.raw && !(cell.source in out)) out[cell.source] = renderMarkdown(cell.source);
    if (cell.kind === "quiz") {
      // Quiz prompts, options and explanations hold inline markdown and math; keyed "inline:<text>".
      for (const q of cell.questions) {
        for (const text of [q.prompt, q.explanation ?? "", ...q.options.map((o) => o.text)]) {
          if (text) out[`inline:${text}`] ??= renderMarkdownInline(text);
        }
      }
    }
  }
  return out;
}
