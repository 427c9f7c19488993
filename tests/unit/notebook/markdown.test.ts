// @ts-ignore -- jsdom ships no types and @types/jsdom is not installed
import { JSDOM } from "jsdom";
import { describe, expect, it } from "vitest";
import { isSafeUrl, renderMarkdown, renderMarkdownInline, sanitizeHtml } from "@/lib/notebook/markdown";

/** Parses HTML with a real browser parser and lists anything that could run script. */
function dangers(html: string): string[] {
  const doc: Document = new JSDOM(`<body>${html}</body>`).window.document;
  const found: string[] = [];
  for (const el of Array.from(doc.body.querySelectorAll("*"))) {
    const tag = el.tagName.toLowerCase();
    if (["script", "iframe", "object", "embed", "style", "form", "base", "meta", "link"].includes(tag)) found.push(`<${tag}>`);
    for (const a of Array.from(el.attributes)) {
      if (a.name.startsWith("on")) found.push(`${tag}@${a.name}`);
      if (["href", "src", "action", "formaction", "xlink:href"].includes(a.name) && /^\s*(javascript|vbscript|data:text)/i.test(a.value.replace(/[\u0000-\u0020]/g, ""))) {
        found.push(`${tag}@${a.name}=${a.value}`);
      }
    }
  }
  return found;
}

describe("renderMarkdown", () => {
  it("renders GFM", () => {
    const html = renderMarkdown("# Título\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n- [x] hecho\n\n~~tachado~~ `code <b>`\n\n```ts\nconst x = 1 < 2;\n```");
    expect(html).toContain("<h1>Título</h1>");
    expect(html).toContain("<table>");
    expect(html).toContain("<td>1</td>");
    expect(html).toMatch(/<input[^>]*type="checkbox"[^>]*disabled/);
    expect(html).toContain("<del>tachado</del>");
    expect(html).toContain("<code>code &lt;b&gt;</code>");
    expect(html).toContain('<pre><code class="language-ts">const x = 1 &lt; 2;\n</code></pre>');
  });

  it("renders inline and display math with KaTeX", () => {
    const html = renderMarkdown("La pérdida $L = -\\log p$ y\n\n$$\n\\frac{a}{b}\n$$\n\nPrecio: $5 y $10.");
    expect(html).toContain('<span class="katex">');
    expect(html).toContain("<annotation encoding=\"application/x-tex\">L = -\\log p</annotation>");
    expect(html).toContain('<div class="math-display"><span class="katex-display">');
    expect(html).toContain("\\frac{a}{b}");
    expect(html).toContain("Precio: $5 y $10.");
    expect(renderMarkdown("`$x$` and \\$y\\$")).not.toContain("katex");
  });

  it("does not throw on bad TeX", () => {
    const html = renderMarkdown("$\\frac{$");
    expect(html).toContain("katex-error");
  });

  it("keeps harmless HTML and drops dangerous HTML", () => {
    const html = renderMarkdown(
      'H<sub>2</sub>O <kbd>Ctrl</kbd>\n\n<details open><summary>Más</summary>\n\nOculto\n\n</details>\n\n<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n[x](javascript:alert(1)) [ok](https://example.com)',
    );
    expect(html).toContain("H<sub>2</sub>O");
    expect(html).toContain("<kbd>Ctrl</kbd>");
    expect(html).toContain("<details open><summary>Más</summary>");
    expect(html).not.toContain("alert(1)</");
    expect(html).toContain('<img src="x">');
    expect(html).toContain('<a href="https://example.com">ok</a>');
    expect(dangers(html)).toEqual([]);
  });

  it("math cannot smuggle HTML", () => {
    const html = renderMarkdown("$\\href{javascript:alert(1)}{x}$ $<img src=x onerror=alert(1)>$ \uE0000\uE001");
    expect(dangers(html)).toEqual([]);
  });

  it("inline rendering has no paragraph", () => {
    expect(renderMarkdownInline("**PR-AUC** con $p$")).toMatch(/^<strong>PR-AUC<\/strong> con <span class="katex">/);
  });
});

describe("sanitizeHtml", () => {
  const payloads = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    '<img src="x" ONERROR="alert(1)">',
    "<img/src=x/onerror=alert(1)>",
    "<svg onload=alert(1)><circle/></svg>",
    '<a href="javascript:alert(1)">x</a>',
    '<a href="jav&#x61;script:alert(1)">x</a>',
    '<a href="  java\tscript:alert(1)">x</a>',
    '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    '<iframe src="https://evil"></iframe>',
    "<style>body{display:none}</style>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    '<a title="x>" onclick="alert(1)">y</a>',
    "<<script>script>alert(1)<</script>/script>",
    '<form action="javascript:alert(1)"><button>x</button></form>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<input type="image" src=x onerror=alert(1)>',
    "<!--<img src=x onerror=alert(1)>-->",
    "<base href=javascript:/>",
    '<object data="javascript:alert(1)"></object>',
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\"></noscript>",
  ];
  it("the danger detector does see unsanitized payloads", () => {
    expect(payloads.filter((p) => dangers(p).length > 0).length).toBeGreaterThanOrEqual(15);
  });

  it.each(payloads)("neutralizes %s", (p) => {
    expect(dangers(sanitizeHtml(p))).toEqual([]);
  });

  it("keeps safe markup, balances tags, escapes stray brackets", () => {
    expect(sanitizeHtml('<table><tr><td colspan="2">a & b</td></tr></table>')).toBe('<table><tr><td colspan="2">a & b</td></tr></table>');
    expect(sanitizeHtml("<b>open <i>nested")).toBe("<b>open <i>nested</i></b>");
    expect(sanitizeHtml("stray </div> 1 < 2")).toBe("stray  1 &lt; 2");
    expect(sanitizeHtml('<a href="https://x" target="_blank">l</a>')).toBe('<a href="https://x" target="_blank" rel="noopener noreferrer">l</a>');
    expect(sanitizeHtml('<img src="data:image/png;base64,iVBORw0KGgo=" alt="d">')).toBe('<img src="data:image/png;base64,iVBORw0KGgo=" alt="d">');
    expect(sanitizeHtml("<custom-el>text</custom-el>")).toBe("text");
  });

  it("isSafeUrl", () => {
    expect(isSafeUrl("https://a.b/c", "href")).toBe(true);
    expect(isSafeUrl("/lessons/x", "href")).toBe(true);
    expect(isSafeUrl("#frag", "href")).toBe(true);
    expect(isSafeUrl("mailto:a@b", "href")).toBe(true);
    expect(isSafeUrl("JaVaScRiPt:x", "href")).toBe(false);
    expect(isSafeUrl("data:image/svg+xml;base64,PHN2Zz4=", "src")).toBe(false);
  });
});
