// Browser-side sanitizing of HTML and rendered markdown (DOMPurify, loaded on first use).
let purify: Promise<typeof import("dompurify").default> | null = null;

export async function sanitizeHtml(html: string): Promise<string> {
  purify ??= import("dompurify").then((m) => m.default);
  const p = await purify;
  return p.sanitize(html, { USE_PROFILES: { html: true, svg: true, mathMl: true }, ADD_ATTR: ["target"] });
}

/** Markdown (with KaTeX) → sanitized HTML (lib/notebook/markdown); marked and KaTeX load on first use. */
export async function renderMarkdownSafe(source: string): Promise<string> {
  const { renderMarkdown } = await import("@/lib/notebook/markdown");
  return renderMarkdown(source);
}
