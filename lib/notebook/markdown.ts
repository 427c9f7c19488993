// Markdown (GFM) with KaTeX math → sanitized HTML, the same string on the server (lesson text is
// server-rendered) and in the browser (so hydration matches and edited cells render alike).
//
// Why no DOMPurify here: DOMPurify needs a DOM, which server components do not have
// (isomorphic-dompurify is not installed and jsdom is dev-only and heavy). Instead:
//  1. math is rendered by KaTeX (trust: false, so \href, \url and friends are inert) and
//     replaced by opaque placeholders while the rest is processed;
//  2. marked renders the markdown; its text is escaped, but raw HTML in the source passes through;
//  3. the whole output goes through sanitizeHtml, a small allow-list sanitizer: known-safe
//     tags and attributes only, URLs checked after entity decoding, dangerous elements dropped
//     with their content, tags balanced;
//  4. the KaTeX HTML is put back in place of the placeholders (it never went through step 3,
//     so its inline styles and MathML survive; it is generated, not user HTML).

import katex from "katex";
import { Marked, Tokenizer, type TokenizerAndRendererExtension } from "marked";

// Private-use characters delimit math placeholders; they are removed from the input first.
const PH_OPEN = "\uE000";
const PH_CLOSE = "\uE001";
const PH_RE = /\uE000(\d+)\uE001/g;

export function renderMath(tex: string, displayMode: boolean): string {
  return katex.renderToString(tex, {
    displayMode,
    throwOnError: false,
    trust: false,
    strict: "ignore",
    output: "htmlAndMathml",
  });
}

// Both block-math helpers scan by hand, each in time linear in what they look at: the RegExps
// they replace rescanned the rest of the document at every paragraph (/^ {0,3}\$\$/m found the
// next opening line however far away) and at every `$$` line without a closer, so a student's
// notebook of many such lines took seconds to render on the server.
const isBlankLine = (src: string, from: number, end: number) => {
  for (let i = from; i < end; i++) if (src[i] !== " " && src[i] !== "\t") return false;
  return true;
};

/**
 * Where the next line opening display math (` {0,3}$$`) starts, looked for only up to the next
 * blank line: marked uses this to cut the current paragraph, which ends at a blank line anyway.
 */
function nextMathBlockLine(src: string): number | undefined {
  for (let i = 0; i < src.length; ) {
    const nl = src.indexOf("\n", i);
    const end = nl < 0 ? src.length : nl;
    let j = i;
    while (j < end && j - i < 3 && src[j] === " ") j++;
    if (src.startsWith("$$", j)) return i;
    if (isBlankLine(src, i, end)) return undefined;
    i = end + 1;
  }
  return undefined;
}

/**
 * Display math at the start of a block: ` {0,3}$$ … $$` where the first `$$` after the opening
 * closes it (as in TeX) and ends its line (trailing blanks and newlines are part of the block).
 */
function mathBlockAt(src: string): { raw: string; text: string } | null {
  let from = 0;
  while (from < 3 && src[from] === " ") from++;
  if (!src.startsWith("$$", from)) return null;
  from += 2;
  const close = src.indexOf("$$", from + 1);
  if (close < 0) return null;
  let end = close + 2;
  while (end < src.length && src[end] !== "\n" && /\s/.test(src[end])) end++;
  if (end < src.length && src[end] !== "\n") return null;
  while (end < src.length && src[end] === "\n") end++;
  return { raw: src.slice(0, end), text: src.slice(from, close).trim() };
}

function mathExtensions(store: string[]): TokenizerAndRendererExtension[] {
  const put = (html: string) => `${PH_OPEN}${store.push(html) - 1}${PH_CLOSE}`;
  return [
    {
      name: "mathBlock",
      level: "block",
      start: nextMathBlockLine,
      tokenizer(src: string) {
        const m = mathBlockAt(src);
        if (m) return { type: "mathBlock", raw: m.raw, text: m.text };
        return undefined;
      },
      renderer: (token) => `<div class="math-display">${put(renderMath(String(token.text), true))}</div>\n`,
    },
    {
      name: "mathInline",
      level: "inline",
      start: (src: string) => src.indexOf("$") >= 0 ? src.indexOf("$") : undefined,
      tokenizer(src: string) {
        const display = /^\$\$(?!\$)([\s\S]+?)\$\$/.exec(src);
        if (display) return { type: "mathInline", raw: display[0], text: display[1].trim(), display: true };
        // $…$: no space just inside the dollars and no digit right after the closing one, so
        // prices like "$5 and $10" stay text.
        const inline = /^\$(?![\s$])((?:\\.|[^\\$\n])+?)(?<!\s)\$(?!\d)/.exec(src);
        if (inline) return { type: "mathInline", raw: inline[0], text: inline[1], display: false };
        return undefined;
      },
      renderer: (token) => put(renderMath(String(token.text), Boolean(token.display))),
    },
  ];
}

const setextHeading = Tokenizer.prototype.lheading;

function makeMarked(store: string[]): Marked {
  return new Marked(
    { gfm: true, breaks: false, async: false },
    { extensions: mathExtensions(store) },
    {
      tokenizer: {
        // marked's setext-heading rule scans ahead to the next blank line and, unlike for its own
        // blocks, does not stop at a display-math line, so every line before one rescanned the
        // rest: cut its input there, as marked cuts paragraphs at an extension's start.
        lheading(this: Tokenizer, src: string) {
          const cut = nextMathBlockLine(src.slice(1));
          return setextHeading.call(this, cut === undefined ? src : src.slice(0, cut + 1));
        },
      },
    },
  );
}

function finish(html: string, store: string[]): string {
  return sanitizeHtml(html).replace(PH_RE, (_, n: string) => store[Number(n)] ?? "");
}

/** Renders lesson/cell markdown with math to sanitized HTML. Pure; works in Node and browsers. */
export function renderMarkdown(text: string): string {
  const store: string[] = [];
  const html = makeMarked(store).parse(String(text).replace(/[\uE000\uE001]/g, "")) as string;
  return finish(html, store);
}

/** Inline-only rendering (quiz prompts and options): no paragraphs or blocks. */
export function renderMarkdownInline(text: string): string {
  const store: string[] = [];
  const html = makeMarked(store).parseInline(String(text).replace(/[\uE000\uE001]/g, "")) as string;
  return finish(html, store);
}

// ---------- the allow-list sanitizer ----------

const VOID = new Set(["br", "hr", "img", "col", "wbr", "input"]);
const ALLOWED_TAGS = new Set([
  "a", "abbr", "article", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup", "dd", "del",
  "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6",
  "header", "hr", "i", "img", "input", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "samp", "section",
  "small", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u",
  "ul", "var", "wbr",
]);
/** Dropped together with everything inside them. */
const DROP_WITH_CONTENT = new Set([
  "script", "style", "iframe", "object", "embed", "template", "noscript", "textarea", "title", "xmp", "noembed",
  "noframes", "frameset", "frame", "select", "option", "svg", "math", "applet", "plaintext",
]);
const GLOBAL_ATTRS = new Set(["class", "title", "lang", "dir", "align", "style", "role", "aria-label", "aria-hidden"]);
const TAG_ATTRS: Record<string, Set<string>> = {
  a: new Set(["href", "target", "rel"]),
  img: new Set(["src", "alt", "width", "height", "loading"]),
  td: new Set(["colspan", "rowspan"]),
  th: new Set(["colspan", "rowspan", "scope"]),
  col: new Set(["span"]),
  colgroup: new Set(["span"]),
  ol: new Set(["start", "reversed", "type"]),
  li: new Set(["value"]),
  details: new Set(["open"]),
  input: new Set(["type", "checked", "disabled"]),
  code: new Set([]),
};

const NAMED_ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: "\u00a0", colon: ":", tab: "\t", newline: "\n" };

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);?/gi, (m, e: string) => {
    if (e[0] === "#") {
      const code = e[1] === "x" || e[1] === "X" ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : "";
    }
    return NAMED_ENTITIES[e.toLowerCase()] ?? m;
  });
}

function escapeAttr(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** http(s), mailto, in-page and relative URLs; images also data:image/(png|jpeg|gif|webp). */
export function isSafeUrl(raw: string, kind: "href" | "src"): boolean {
  // Browsers ignore control characters and whitespace inside the scheme: so must we.
  const url = decodeEntities(raw).replace(/[\u0000-\u0020\u007f-\u009f]/g, "");
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url);
  if (!scheme) return true; // relative
  const s = scheme[1].toLowerCase();
  if (s === "http" || s === "https") return true;
  if (kind === "href" && s === "mailto") return true;
  if (kind === "src" && s === "data") return /^data:image\/(png|jpe?g|gif|webp);base64,[a-z0-9+/=]*$/i.test(url);
  return false;
}

function isSafeStyle(v: string): boolean {
  const s = decodeEntities(v).toLowerCase();
  return !/url\s*\(|expression|@import|javascript:|behavior|binding|position\s*:|\\|\/\*/.test(s);
}

// Attribute names exclude `<`: with it, every `<x ` of "<a <a <a …" (no `>`) was scanned to the
// end as attributes of the first tag, then again from the next `<`: quadratic, on the server
// too (prerendered notebooks). Text that is no tag is escaped, so a stricter name only escapes more.
const TAG_RE =
  /<!--[\s\S]*?(?:-->|$)|<(\/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^\s"'<>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)\s*(\/?)>/g;
const ATTR_RE = /([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;

function cleanAttrs(tag: string, raw: string): string {
  const out: string[] = [];
  const allowed = TAG_ATTRS[tag];
  for (const m of raw.matchAll(ATTR_RE)) {
    const name = m[1].toLowerCase();
    const value = decodeEntities(m[2] ?? m[3] ?? m[4] ?? "");
    if (!(GLOBAL_ATTRS.has(name) || allowed?.has(name) || name.startsWith("data-"))) continue;
    if (name.startsWith("on")) continue;
    if ((name === "href" || name === "src") && !isSafeUrl(value, name)) continue;
    if (name === "style" && !isSafeStyle(value)) continue;
    if (tag === "input" && name === "type" && value.toLowerCase() !== "checkbox") return "\0";
    if (name === "target" && value !== "_blank") continue;
    if (name === "rel") continue; // set below for links that open elsewhere
    out.push(m[2] === undefined && m[3] === undefined && m[4] === undefined ? name : `${name}="${escapeAttr(value)}"`);
  }
  if (tag === "a" && out.some((a) => a.startsWith("target="))) out.push('rel="noopener noreferrer"');
  if (tag === "input") {
    if (!out.some((a) => a.startsWith("type="))) return "\0";
    if (!out.includes("disabled")) out.push("disabled");
  }
  return out.length ? " " + out.join(" ") : "";
}

function escapeText(s: string): string {
  return s.replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/**
 * Allow-list HTML sanitizer for fragments (markdown output, `show.html` outputs). Unknown tags
 * are removed but their text kept; scripts, styles, frames, SVG and MathML are removed with
 * their content; event handlers and unsafe URLs are dropped; the result is balanced.
 */
export function sanitizeHtml(html: string): string {
  const input = String(html);
  let out = "";
  const stack: string[] = [];
  let last = 0;
  TAG_RE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = TAG_RE.exec(input))) {
    out += escapeText(input.slice(last, m.index));
    last = TAG_RE.lastIndex;
    if (m[0].startsWith("<!--")) continue;
    const closing = m[1] === "/";
    const tag = m[2].toLowerCase();
    if (DROP_WITH_CONTENT.has(tag)) {
      if (!closing && m[4] !== "/") {
        const end = new RegExp(`</${tag}\\s*>`, "ig");
        end.lastIndex = last;
        const e = end.exec(input);
        last = e ? end.lastIndex : input.length;
        TAG_RE.lastIndex = last;
      }
      continue;
    }
    if (!ALLOWED_TAGS.has(tag)) continue;
    if (closing) {
      const at = stack.lastIndexOf(tag);
      if (at < 0) continue; // stray closer
      while (stack.length > at) out += `</${stack.pop()}>`;
      continue;
    }
    const attrs = cleanAttrs(tag, m[3] ?? "");
    if (attrs === "\0") continue;
    out += `<${tag}${attrs}>`;
    if (!VOID.has(tag)) stack.push(tag);
  }
  out += escapeText(input.slice(last));
  while (stack.length) out += `</${stack.pop()}>`;
  return out;
}
