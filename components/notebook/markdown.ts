// Markdown + KaTeX → HTML, the same on the server (lesson text in the first HTML) and in the
// browser (edited cells). The browser sanitizes with DOMPurify (sanitize-html.ts); the server
// renders only lesson files from content/, which are ours.
import katex from "katex";
import { Marked, type TokenizerAndRendererExtension } from "marked";
import { escapeHtml } from "./escape";

function tex(source: string, displayMode: boolean): string {
  try {
    return katex.renderToString(source, { displayMode, throwOnError: false, output: "htmlAndMathml" });
  } catch {
    return `<code>${escapeHtml(source)}</code>`;
  }
}


const blockMath: TokenizerAndRendererExtension = {
  name: "blockMath",
  level: "block",
  start: (src) => src.match(/\$\$/)?.index,
  tokenizer(src) {
    const m = /^\$\$([\s\S]+?)\$\$[^\S\n]*(?:\n|$)/.exec(src);
    if (m) return { type: "blockMath", raw: m[0], text: m[1].trim() };
    return undefined;
  },
  renderer: (token) => `<div class="math-display">${tex(token.text as string, true)}</div>\n`,
};

const inlineMath: TokenizerAndRendererExtension = {
  name: "inlineMath",
  level: "inline",
  start: (src) => src.match(/\$/)?.index,
  tokenizer(src) {
    const d = /^\$\$([^$]+?)\$\$/.exec(src);
    if (d) return { type: "inlineMath", raw: d[0], text: d[1].trim(), display: true };
    // $…$ with no space just inside the dollars, so "$5 and $6" stays text.
    const m = /^\$(?!\s)((?:\\\$|[^$\n])+?)(?<!\s)\$(?!\d)/.exec(src);
    if (m) return { type: "inlineMath", raw: m[0], text: m[1], display: false };
    return undefined;
  },
  renderer: (token) => tex(token.text as string, Boolean(token.display)),
};

const marked = new Marked({ gfm: true, breaks: false, async: false, extensions: [blockMath, inlineMath] });

/** Unsanitized HTML: sanitize before inserting anything that is not a lesson file's own text. */
export function renderMarkdown(source: string): string {
  return marked.parse(source) as string;
}
