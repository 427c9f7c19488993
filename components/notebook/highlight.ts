// A light syntax highlighter for the static (unfocused) view of code cells: a single regex pass
// over TypeScript or SQL producing <span class="tk-…">. Cheap enough for 40 cells on the server
// and in the browser; Monaco takes over when a cell is focused.
import { escapeHtml } from "./escape";

const TS_KEYWORDS = new Set(
  "async await break case catch class const continue debugger default delete do else enum export extends false finally for from function if implements import in instanceof interface let new null of return static super switch this throw true try type typeof undefined var void while yield as readonly keyof".split(" "),
);
const SQL_KEYWORDS = new Set(
  "select from where group by order having limit offset join left right inner outer full cross on as and or not in is null like ilike between case when then else end distinct count sum avg min max union all insert into values update set delete create table view with desc asc over partition cast true false".split(" "),
);
const GLOBALS = new Set(["tf", "ml", "data", "sql", "show", "track", "check", "challenge", "console", "Math", "JSON", "Array", "Object"]);

const TS_RE = /(\/\/[^\n]*|\/\*[\s\S]*?\*\/)|("(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'|`(?:\\.|[^`\\])*`)|(\b\d[\d_]*(?:\.\d+)?(?:e[+-]?\d+)?\b)|([A-Za-z_$][\w$]*)/g;
const SQL_RE = /(--[^\n]*|\/\*[\s\S]*?\*\/)|('(?:''|[^'])*'|"(?:[^"])*")|(\b\d+(?:\.\d+)?\b)|([A-Za-z_][\w]*)/g;

export function highlightCode(source: string, language: "ts" | "sql"): string {
  const re = language === "sql" ? SQL_RE : TS_RE;
  re.lastIndex = 0;
  let out = "";
  let last = 0;
  for (let m = re.exec(source); m; m = re.exec(source)) {
    out += escapeHtml(source.slice(last, m.index));
    last = m.index + m[0].length;
    const text = escapeHtml(m[0]);
    if (m[1]) out += `<span class="tk-c">${text}</span>`;
    else if (m[2]) out += `<span class="tk-s">${text}</span>`;
    else if (m[3]) out += `<span class="tk-n">${text}</span>`;
    else {
      const word = m[4];
      const kw = language === "sql" ? SQL_KEYWORDS.has(word.toLowerCase()) : TS_KEYWORDS.has(word);
      if (kw) out += `<span class="tk-k">${text}</span>`;
      else if (language === "ts" && GLOBALS.has(word)) out += `<span class="tk-g">${text}</span>`;
      else out += text;
    }
  }
  return out + escapeHtml(source.slice(last));
}

// The same highlighting line by line, for the text area's highlighted copy (draft-editor.tsx): a
// key re-highlights only the lines whose tokens can have changed, and the caller patches only the
// lines whose HTML changed. A token across lines (block comment, template literal, SQL string) is
// cut into one span per line, same colours. Exactly highlightCode's tokens: the scan restarts at
// the start of the edited line — earlier when a token runs into it, or when an opener on an earlier
// line (`/*`, a backquote, a SQL quote) found no end, since such an attempt reads the whole rest of
// the text — and stops at the first line start past the edit where the old and the new scan are
// both between tokens, from which point the regex sees the same text.

export interface HighlightedLine {
  /** The line's HTML, without its newline. */
  html: string;
  /** No token crosses the newline before this line: a scan may start here. */
  free: boolean;
  /** An attempt starting on this line read past its end (a token running on, an opener without end). */
  far: boolean;
}

export interface HighlightedLines {
  source: string;
  language: "ts" | "sql" | "markdown";
  lines: HighlightedLine[];
}

const LINE_RES = { ts: new RegExp(TS_RE.source, "g"), sql: new RegExp(SQL_RE.source, "g") };
// Openers whose failed attempt (no end found) reads on past their line.
const FAR_OPENER = { ts: /\/\*|`/, sql: /\/\*|['"]/ };

function tokenClass(m: RegExpExecArray, language: "ts" | "sql"): string | null {
  if (m[1]) return "tk-c";
  if (m[2]) return "tk-s";
  if (m[3]) return "tk-n";
  const word = m[4];
  if (language === "sql" ? SQL_KEYWORDS.has(word.toLowerCase()) : TS_KEYWORDS.has(word)) return "tk-k";
  if (language === "ts" && GLOBALS.has(word)) return "tk-g";
  return null;
}

/**
 * `source` highlighted line by line; with `previous` (the same field's last result), only from
 * the edited line down to where the old and the new tokens meet again.
 */
export function highlightLines(source: string, language: "ts" | "sql" | "markdown", previous?: HighlightedLines | null): HighlightedLines {
  const prev = previous && previous.language === language ? previous : null;
  if (prev && prev.source === source) return prev;
  if (language === "markdown") {
    const byText = new Map<string, HighlightedLine>();
    for (const l of prev?.lines ?? []) byText.set(l.html, l);
    const lines = source.split("\n").map((t) => {
      const html = escapeHtml(t);
      return byText.get(html) ?? { html, free: true, far: false };
    });
    return { source, language, lines };
  }
  // Where the old and the new text differ: [start, oldLen - suffix) in the old one.
  let startLine = 0;
  let from = 0;
  let suffixStart = Infinity; // in the new text: where the unchanged end starts
  let lineDelta = 0;
  if (prev) {
    const old = prev.source;
    const max = Math.min(old.length, source.length);
    let p = 0;
    while (p < max && old.charCodeAt(p) === source.charCodeAt(p)) p++;
    let s = 0;
    while (s < max - p && old.charCodeAt(old.length - 1 - s) === source.charCodeAt(source.length - 1 - s)) s++;
    suffixStart = source.length - s;
    let line = 0;
    let lineStart = 0;
    for (let i = old.indexOf("\n"); i >= 0 && i < p; i = old.indexOf("\n", i + 1)) {
      line++;
      lineStart = i + 1;
    }
    // An earlier line's attempt that read past its end may read the edit: restart there.
    let firstFar = prev.lines.findIndex((l) => l.far);
    if (firstFar < 0 || firstFar > line) firstFar = line;
    startLine = firstFar;
    from = lineStart;
    for (let k = line; k > startLine; k--) from = from <= 1 ? 0 : old.lastIndexOf("\n", from - 2) + 1;
    let newLines = 1;
    for (let i = source.indexOf("\n"); i >= 0; i = source.indexOf("\n", i + 1)) newLines++;
    lineDelta = newLines - prev.lines.length;
  }
  const out: HighlightedLine[] = prev ? prev.lines.slice(0, startLine) : [];
  const re = LINE_RES[language];
  const farOpener = FAR_OPENER[language];
  let html = "";
  let free = true;
  let far = false;
  // Ends the current line at the newline at `nl`; true when the rest can be the old lines.
  const endLine = (nl: number, nextFree: boolean): boolean => {
    out.push({ html, free, far });
    html = "";
    free = nextFree;
    far = false;
    if (!prev || !nextFree || nl < suffixStart) return false;
    const old = prev.lines[out.length - lineDelta];
    if (!old?.free) return false;
    for (let k = out.length - lineDelta; k < prev.lines.length; k++) out.push(prev.lines[k]);
    return true;
  };
  const plain = (end: number, at: number): boolean => {
    // Text between tokens, [at, end), line by line.
    for (let i = at; ; ) {
      const nl = source.indexOf("\n", i);
      const stop = nl < 0 || nl >= end ? end : nl;
      const seg = source.slice(i, stop);
      if (seg) {
        html += escapeHtml(seg);
        if (farOpener.test(seg)) far = true;
      }
      if (stop === end) return false;
      if (endLine(nl, true)) return true;
      i = nl + 1;
    }
  };
  re.lastIndex = from;
  let pos = from;
  for (let m = re.exec(source); m; m = re.exec(source)) {
    if (plain(m.index, pos)) return { source, language, lines: out };
    const cls = tokenClass(m, language);
    const parts = m[0].split("\n");
    if (parts.length > 1) far = true; // this token runs on past its line
    for (let j = 0; j < parts.length; j++) {
      if (j > 0) {
        // A newline inside a token: never a meeting point (the scan is inside a token).
        out.push({ html, free, far });
        html = "";
        free = false;
        far = false;
      }
      const text = escapeHtml(parts[j]);
      if (text) html += cls ? `<span class="${cls}">${text}</span>` : text;
    }
    pos = m.index + m[0].length;
  }
  if (plain(source.length, pos)) return { source, language, lines: out };
  out.push({ html, free, far });
  return { source, language, lines: out };
}
