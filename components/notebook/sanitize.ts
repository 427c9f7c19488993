// Browser-side sanitizing of HTML and rendered markdown (DOMPurify, loaded on first use).
let purify: Promise<typeof import("dompurify").default> | null = null;

export async function sanitizeHtml(html: string): Promise<string> {
  purify ??= import("dompurify").then((m) => m.default);
  const p = await purify;
  return p.sanitize(html, { USE_PROFILES: { html: true, svg: true, mathMl: true }, ADD_ATTR: ["target"] });
}

let markdown: Promise<typeof import("@/lib/notebook/markdown")> | null = null;

/** lib/notebook/markdown (marked and KaTeX), loaded on first use. */
export function loadMarkdown(): Promise<typeof import("@/lib/notebook/markdown")> {
  markdown ??= import("@/lib/notebook/markdown");
  return markdown;
}

/** Markdown (with KaTeX) → sanitized HTML (lib/notebook/markdown). */
export async function renderMarkdownSafe(source: string): Promise<string> {
  const { renderMarkdown } = await loadMarkdown();
  return renderMarkdown(source);
}
