// Markdown rendering runs on the server for a student's own notebook, so hostile text must cost
// time linear in its length. Each input below took seconds to minutes before (RegExps and marked
// rules that rescanned the rest of the document at every line); the bounds leave a wide margin.
import { describe, expect, it } from "vitest";
import { prerenderMarkdown } from "@/components/notebook/prerender";
import { renderMarkdown, sanitizeHtml } from "@/lib/notebook/markdown";
import type { NotebookDocument } from "@/lib/notebook/types";

const timed = <T>(f: () => T): { ms: number; value: T } => {
  const t0 = performance.now();
  const value = f();
  return { ms: performance.now() - t0, value };
};

describe("markdown and sanitizing in linear time", () => {
  it("sanitizes 40,000 unclosed '<a ' in well under a second (was quadratic: ~0.4 s for 8,000)", () => {
    const r = timed(() => sanitizeHtml("<a ".repeat(40_000)));
    expect(r.ms).toBeLessThan(1000);
    expect(r.value.startsWith("&lt;a &lt;a ")).toBe(true);
    expect(sanitizeHtml('<a href="https://x.example" title=t>ok</a><b <i>x</i>')).toBe('<a href="https://x.example" title="t">ok</a>&lt;b <i>x</i>');
  });

  it("renders 15,000 lines opening display math without a closer in seconds, not minutes", () => {
    const r = timed(() => renderMarkdown("$$a\n".repeat(15_000)));
    expect(r.ms).toBeLessThan(6000); // 60,000 characters; ~18 s before
    expect(r.value.length).toBeGreaterThan(0);
  });

  it("renders 80,000 paragraphs before a display-math line in seconds", () => {
    const r = timed(() => renderMarkdown("a\n\n".repeat(80_000) + "$$x$$"));
    expect(r.ms).toBeLessThan(6000); // 240,000 characters; ~20 s before
    expect(r.value).toContain("katex-display");
  });

  it("still renders display math, setext headings and paragraphs around them", () => {
    const html = renderMarkdown("Title\n=====\ntext before\n$$\nx^2\n$$\ntext after\n\n  $$y$$  \n\nPrice $5 and $10; inline $z$.");
    expect(html).toMatch(/<h1[^>]*>Title<\/h1>/);
    expect(html.match(/class="math-display"/g)).toHaveLength(2);
    expect(html).toContain("<p>text before</p>");
    expect(html).toContain("<p>text after</p>");
    expect(html).toContain("Price $5 and $10");
    expect(html).toMatch(/inline <span class="katex">/);
    // The first `$$` closes the block (as in TeX); one that does not end its line makes it text.
    expect(renderMarkdown("$$a$$b\n")).not.toContain("math-display");
  });
});

describe("prerenderMarkdown", () => {
  const doc = (sources: string[]): NotebookDocument =>
    ({ format: 1, metadata: { title: "t" }, cells: sources.map((source, i) => ({ id: `c${i}`, kind: "markdown", source, metadata: {} })) }) as unknown as NotebookDocument;

  it("renders markdown up to the budget and leaves the rest to the browser", () => {
    const a = `# A\n${"x".repeat(30_000)}`;
    const b = `# B\n${"y".repeat(30_000)}`;
    const small = "# small";
    const out = prerenderMarkdown(doc([a, b, small]), { maxChars: 50_000 });
    expect(Object.keys(out)).toEqual([a, small]);
    expect(Object.keys(prerenderMarkdown(doc([a, b, small])))).toEqual([a, b, small]);
  });
});
