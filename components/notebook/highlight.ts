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
