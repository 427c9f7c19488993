// Static dependency analysis between cells, Observable-runtime style: which top-level names a
// cell defines and which free names it uses, the resulting graph, and which cells go stale
// when one re-runs. Types are stripped with sucrase (already a runtime dependency), the JS is
// parsed with acorn and a small scope analyzer resolves names — no TypeScript compiler in the
// browser.

import { parse, type Node } from "acorn";
import { transform } from "sucrase";
import { KERNEL_GLOBALS } from "@/lib/kernel/globals";
import type { Cell, CellId, CellKind } from "./types";

/** Names a cell can use without any cell defining them (the kernel's one list). */
export { KERNEL_GLOBALS };

const BUILTINS = new Set<string>([
  ...KERNEL_GLOBALS,
  // language and host globals
  "globalThis", "self", "window", "undefined", "NaN", "Infinity", "arguments", "eval",
  "Object", "Function", "Array", "Number", "String", "Boolean", "Symbol", "BigInt", "Math", "JSON", "Date", "RegExp",
  "Error", "TypeError", "RangeError", "SyntaxError", "ReferenceError", "EvalError", "URIError", "AggregateError",
  "Map", "Set", "WeakMap", "WeakSet", "WeakRef", "FinalizationRegistry", "Promise", "Proxy", "Reflect", "Intl",
  "ArrayBuffer", "SharedArrayBuffer", "DataView", "Atomics", "Int8Array", "Uint8Array", "Uint8ClampedArray",
  "Int16Array", "Uint16Array", "Int32Array", "Uint32Array", "Float32Array", "Float64Array", "BigInt64Array",
  "BigUint64Array", "parseInt", "parseFloat", "isNaN", "isFinite", "encodeURIComponent", "decodeURIComponent",
  "encodeURI", "decodeURI", "console", "setTimeout", "clearTimeout", "setInterval", "clearInterval",
  "queueMicrotask", "structuredClone", "fetch", "performance", "crypto", "TextEncoder", "TextDecoder", "URL",
  "URLSearchParams", "atob", "btoa", "Blob", "File", "FormData", "Headers", "Request", "Response", "AbortController",
  "AbortSignal", "WebAssembly", "navigator", "location", "Event", "EventTarget", "MessageChannel", "ImageData",
  "OffscreenCanvas", "createImageBitmap", "requestAnimationFrame", "cancelAnimationFrame", "Iterator",
]);

export interface CellAnalysis {
  /** Top-level names the cell defines, in order of appearance. */
  defs: string[];
  /** Free names it reads or assigns (no builtins or kernel globals), in order of first use. */
  uses: string[];
  /**
   * SQL tables a TypeScript cell makes exist without declaring a variable of that name:
   * datasets loaded with `data.load("name")` (the kernel registers them as tables) and
   * tables created inside sql`…` templates. SQL cells reading them depend on this cell.
   */
  tables?: string[];
  /** Set when the source does not parse; defs and uses are then empty. */
  error?: string;
  /** How each top-level name in `defs` is declared (what the editor's types of earlier cells need). */
  kinds?: Record<string, DefKind>;
  /** Top-level type-only declarations (`type X = …`, `interface X`), not in `defs`: they do not exist at run time. */
  types?: string[];
}

export type DefKind = "const" | "let" | "var" | "function" | "class";

// A type or interface declared at the start of a line (a cell's top level is not indented).
const TYPE_DECL_RE = /^(?:export\s+)?(?:declare\s+)?(?:type|interface)\s+([A-Za-z_$][\w$]*)/gm;

/** Kinds of the top-level declarations of a parsed program, and the type-only names of its TS source. */
function declarationKinds(program: AnyNode, source: string): { kinds: Record<string, DefKind>; types: string[] } {
  const kinds: Record<string, DefKind> = {};
  const names = (p: AnyNode | null, kind: DefKind) => {
    if (!p) return;
    if (p.type === "Identifier") kinds[p.name] = kind;
    else if (p.type === "ObjectPattern") for (const prop of p.properties) names(prop.type === "RestElement" ? prop.argument : prop.value, kind);
    else if (p.type === "ArrayPattern") for (const el of p.elements) names(el, kind);
    else if (p.type === "RestElement") names(p.argument, kind);
    else if (p.type === "AssignmentPattern") names(p.left, kind);
  };
  for (const st of program.body as AnyNode[]) {
    const node = st.type === "ExportNamedDeclaration" && st.declaration ? st.declaration : st;
    if (node.type === "VariableDeclaration") for (const d of node.declarations) names(d.id, node.kind as DefKind);
    else if (node.type === "FunctionDeclaration" && node.id) kinds[node.id.name] = "function";
    else if (node.type === "ClassDeclaration" && node.id) kinds[node.id.name] = "class";
  }
  const types = [...new Set([...source.matchAll(TYPE_DECL_RE)].map((m) => m[1]))];
  return { kinds, types };
}

export function isBuiltinName(name: string): boolean {
  return BUILTINS.has(name);
}

// ---------- TypeScript cells ----------

interface Scope {
  fn: boolean; // function or program scope (where `var` lands)
  names: Set<string>;
  parent: Scope | null;
}

type AnyNode = Node & Record<string, any>;

/** Analyzes TypeScript (or JavaScript) source; top-level await and import statements are fine. */
export function analyzeTypeScript(source: string): CellAnalysis {
  let js: string;
  let ast: AnyNode;
  try {
    js = transform(source, {
      transforms: ["typescript"],
      keepUnusedImports: true,
      disableESTransforms: true,
    }).code;
    ast = parse(js, {
      ecmaVersion: "latest",
      sourceType: "module",
      allowAwaitOutsideFunction: true,
      allowReturnOutsideFunction: true,
      allowHashBang: true,
    }) as AnyNode;
  } catch (e) {
    return { defs: [], uses: [], error: (e as Error).message };
  }

  const program: Scope = { fn: true, names: new Set(), parent: null };
  const defsInOrder: string[] = [];
  const refs: { name: string; scope: Scope }[] = [];
  const sqlUses: string[] = [];
  const tables: string[] = [];

  const fnScope = (s: Scope) => {
    let c = s;
    while (!c.fn) c = c.parent!;
    return c;
  };
  const declare = (name: string, scope: Scope) => {
    scope.names.add(name);
    if (scope === program && !defsInOrder.includes(name)) defsInOrder.push(name);
  };
  const newScope = (parent: Scope, fn = false): Scope => ({ fn, names: new Set(), parent });

  // Declares the bindings of a pattern; defaults and computed keys inside it are references.
  const declarePattern = (p: AnyNode | null, scope: Scope, evalScope: Scope) => {
    if (!p) return;
    switch (p.type) {
      case "Identifier":
        declare(p.name, scope);
        break;
      case "ObjectPattern":
        for (const prop of p.properties) {
          if (prop.type === "RestElement") declarePattern(prop.argument, scope, evalScope);
          else {
            if (prop.computed) walk(prop.key, evalScope);
            declarePattern(prop.value, scope, evalScope);
          }
        }
        break;
      case "ArrayPattern":
        for (const el of p.elements) declarePattern(el, scope, evalScope);
        break;
      case "RestElement":
        declarePattern(p.argument, scope, evalScope);
        break;
      case "AssignmentPattern":
        declarePattern(p.left, scope, evalScope);
        walk(p.right, evalScope);
        break;
      default:
        walk(p, evalScope); // member expressions in for-of heads, etc.
    }
  };

  const walkFunction = (fn: AnyNode, scope: Scope) => {
    const inner = newScope(scope, true);
    if (fn.type === "FunctionExpression" && fn.id) inner.names.add(fn.id.name);
    for (const p of fn.params) declarePattern(p, inner, inner);
    if (fn.body.type === "BlockStatement") for (const st of fn.body.body) walk(st, inner);
    else walk(fn.body, inner);
  };

  const walkClass = (cls: AnyNode, scope: Scope) => {
    if (cls.superClass) walk(cls.superClass, scope);
    const inner = newScope(scope);
    if (cls.type === "ClassExpression" && cls.id) inner.names.add(cls.id.name);
    for (const m of cls.body.body) {
      if (m.type === "StaticBlock") {
        const s = newScope(inner, true);
        for (const st of m.body) walk(st, s);
        continue;
      }
      if (m.computed) walk(m.key, inner);
      if (m.value) {
        if (m.type === "MethodDefinition") walkFunction(m.value, inner);
        else walk(m.value, newScope(inner, true));
      }
    }
  };

  const walk = (node: AnyNode | null | undefined, scope: Scope): void => {
    if (!node || typeof node.type !== "string") return;
    switch (node.type) {
      case "Identifier":
        refs.push({ name: node.name, scope });
        return;
      case "VariableDeclaration": {
        const target = node.kind === "var" ? fnScope(scope) : scope;
        for (const d of node.declarations) {
          walk(d.init, scope); // evaluated before the pattern's defaults
          declarePattern(d.id, target, scope);
        }
        return;
      }
      case "FunctionDeclaration":
        if (node.id) declare(node.id.name, scope);
        walkFunction(node, scope);
        return;
      case "FunctionExpression":
      case "ArrowFunctionExpression":
        walkFunction(node, scope);
        return;
      case "ClassDeclaration":
        if (node.id) declare(node.id.name, scope);
        walkClass(node, scope);
        return;
      case "ClassExpression":
        walkClass(node, scope);
        return;
      case "ImportDeclaration":
        for (const s of node.specifiers) declare(s.local.name, program);
        return;
      case "ExportNamedDeclaration":
        if (node.declaration) walk(node.declaration, scope);
        else if (!node.source) for (const s of node.specifiers) walk(s.local, scope);
        return;
      case "ExportDefaultDeclaration":
        walk(node.declaration, scope);
        return;
      case "ExportAllDeclaration":
        return;
      case "BlockStatement":
      case "StaticBlock": {
        const inner = newScope(scope);
        for (const st of node.body) walk(st, inner);
        return;
      }
      case "ForStatement": {
        const inner = newScope(scope);
        walk(node.init, inner);
        walk(node.test, inner);
        walk(node.update, inner);
        walk(node.body, inner);
        return;
      }
      case "ForInStatement":
      case "ForOfStatement": {
        const inner = newScope(scope);
        walk(node.right, scope);
        if (node.left.type === "VariableDeclaration") walk(node.left, inner);
        else walkAssignTarget(node.left, scope);
        walk(node.body, inner);
        return;
      }
      case "CatchClause": {
        const inner = newScope(scope);
        if (node.param) declarePattern(node.param, inner, inner);
        for (const st of node.body.body) walk(st, inner);
        return;
      }
      case "SwitchStatement": {
        walk(node.discriminant, scope);
        const inner = newScope(scope);
        for (const c of node.cases) {
          walk(c.test, inner);
          for (const st of c.consequent) walk(st, inner);
        }
        return;
      }
      case "LabeledStatement":
        walk(node.body, scope);
        return;
      case "BreakStatement":
      case "ContinueStatement":
      case "MetaProperty":
      case "Literal":
      case "ThisExpression":
      case "Super":
      case "PrivateIdentifier":
        return;
      case "MemberExpression":
        walk(node.object, scope);
        if (node.computed) walk(node.property, scope);
        return;
      case "Property":
        if (node.computed) walk(node.key, scope);
        walk(node.value, scope);
        return;
      case "PropertyDefinition":
      case "MethodDefinition":
        if (node.computed) walk(node.key, scope);
        walk(node.value, scope);
        return;
      case "AssignmentExpression":
        walkAssignTarget(node.left, scope);
        walk(node.right, scope);
        return;
      case "TaggedTemplateExpression":
        walk(node.tag, scope);
        walk(node.quasi, scope);
        if (node.tag.type === "Identifier" && node.tag.name === "sql") {
          const text = node.quasi.quasis.map((q: AnyNode) => q.value.cooked ?? q.value.raw).join(" ? ");
          const a = analyzeSql(text);
          sqlUses.push(...a.uses);
          tables.push(...a.defs);
        }
        return;
      case "CallExpression": {
        const c = node.callee;
        const arg = node.arguments[0];
        if (
          c.type === "MemberExpression" && !c.computed && c.object.type === "Identifier" && c.object.name === "data" &&
          c.property.name === "load" && arg?.type === "Literal" && typeof arg.value === "string"
        ) {
          tables.push(arg.value);
        }
        break; // and walk the children below
      }
    }
    for (const key of Object.keys(node)) {
      if (key === "type" || key === "start" || key === "end" || key === "loc" || key === "range") continue;
      const child = node[key];
      if (Array.isArray(child)) for (const c of child) walk(c, scope);
      else if (child && typeof child === "object" && typeof child.type === "string") walk(child, scope);
    }
  };

  // Assignment targets (`x = …`, `[a, b] = …`, `for (x of …)`) are references to existing bindings.
  const walkAssignTarget = (p: AnyNode, scope: Scope) => {
    switch (p.type) {
      case "ObjectPattern":
        for (const prop of p.properties) {
          if (prop.type === "RestElement") walkAssignTarget(prop.argument, scope);
          else {
            if (prop.computed) walk(prop.key, scope);
            walkAssignTarget(prop.value, scope);
          }
        }
        return;
      case "ArrayPattern":
        for (const el of p.elements) if (el) walkAssignTarget(el, scope);
        return;
      case "RestElement":
        walkAssignTarget(p.argument, scope);
        return;
      case "AssignmentPattern":
        walkAssignTarget(p.left, scope);
        walk(p.right, scope);
        return;
      default:
        walk(p, scope);
    }
  };

  for (const st of ast.body as AnyNode[]) walk(st, program);

  const uses: string[] = [];
  const seen = new Set<string>();
  const addUse = (name: string) => {
    if (!seen.has(name) && !BUILTINS.has(name) && !program.names.has(name)) {
      seen.add(name);
      uses.push(name);
    }
  };
  for (const { name, scope } of refs) {
    let s: Scope | null = scope;
    while (s && !s.names.has(name)) s = s.parent;
    if (s === null) addUse(name); // free (a name in the program scope is the cell's own)
  }
  for (const t of sqlUses) addUse(t);
  const { kinds, types } = declarationKinds(ast, source);
  const result: CellAnalysis = { defs: defsInOrder, uses, kinds };
  if (types.length) result.types = types;
  const ownTables = [...new Set(tables)];
  if (ownTables.length) result.tables = ownTables;
  return result;
}

// ---------- SQL cells ----------

const SQL_KEYWORDS = new Set(
  (
    "select from where group by order limit offset join left right inner outer full cross natural on using " +
    "union except intersect all distinct having window qualify sample tablesample as with recursive lateral " +
    "positional asof anti semi returning set values pivot unpivot into table view create replace or temp " +
    "temporary if not exists insert update delete describe summarize show and is null case when then else end"
  ).split(" "),
);

type SqlToken = { t: "id"; v: string; quoted: boolean } | { t: "p"; v: string };

function sqlTokens(sql: string): SqlToken[] {
  const out: SqlToken[] = [];
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i];
    if (/\s/.test(ch)) i++;
    else if (sql.startsWith("--", i)) {
      const e = sql.indexOf("\n", i);
      i = e < 0 ? sql.length : e;
    } else if (sql.startsWith("/*", i)) {
      const e = sql.indexOf("*/", i + 2);
      i = e < 0 ? sql.length : e + 2;
    } else if (ch === "'") {
      i++;
      while (i < sql.length) {
        if (sql[i] === "'" && sql[i + 1] === "'") i += 2;
        else if (sql[i] === "'") break;
        else i++;
      }
      i++;
      out.push({ t: "p", v: "'" });
    } else if (ch === '"') {
      let v = "";
      i++;
      while (i < sql.length) {
        if (sql[i] === '"' && sql[i + 1] === '"') {
          v += '"';
          i += 2;
        } else if (sql[i] === '"') break;
        else v += sql[i++];
      }
      i++;
      out.push({ t: "id", v, quoted: true });
    } else if (/[A-Za-z_]/.test(ch)) {
      const m = /^[A-Za-z_][A-Za-z0-9_$]*/.exec(sql.slice(i))!;
      out.push({ t: "id", v: m[0], quoted: false });
      i += m[0].length;
    } else {
      out.push({ t: "p", v: ch });
      i++;
    }
  }
  return out;
}

/**
 * Tables a SQL cell reads (after FROM/JOIN, UPDATE, INSERT INTO, DESCRIBE…) and defines
 * (CREATE TABLE/VIEW). CTE names and tables created earlier in the same cell are not uses.
 */
export function analyzeSql(sql: string): CellAnalysis {
  const toks = sqlTokens(sql);
  const kw = (k: number, ...words: string[]) => {
    const tk = toks[k];
    return !!tk && tk.t === "id" && !tk.quoted && words.includes(tk.v.toLowerCase());
  };
  const isName = (k: number) => {
    const tk = toks[k];
    return !!tk && tk.t === "id" && (tk.quoted || !SQL_KEYWORDS.has(tk.v.toLowerCase()));
  };
  const defs: string[] = [];
  const uses: string[] = [];
  const local = new Set<string>(); // CTEs
  // Reads a possibly qualified name at k; returns the last part and the index after it.
  const qualified = (k: number): [string, number] | null => {
    if (!isName(k)) return null;
    let name = toks[k].v;
    k++;
    while (toks[k]?.v === "." && toks[k + 1]?.t === "id") {
      name = toks[k + 1].v;
      k += 2;
    }
    return [name, k];
  };
  const use = (name: string) => {
    if (!local.has(name) && !defs.includes(name) && !uses.includes(name)) uses.push(name);
  };

  for (let k = 0; k < toks.length; k++) {
    // WITH name [(cols)] AS ( … ), name AS ( … )
    if (isName(k) && (kw(k - 1, "with", "recursive") || toks[k - 1]?.v === ",")) {
      let j = k + 1;
      if (toks[j]?.v === "(") {
        let depth = 0;
        for (; j < toks.length; j++) {
          if (toks[j].v === "(") depth++;
          else if (toks[j].v === ")" && --depth === 0) break;
        }
        j++;
      }
      if (kw(j, "as") && (toks[j + 1]?.v === "(" || (kw(j + 1, "not") && kw(j + 2, "materialized")) || kw(j + 1, "materialized"))) {
        local.add(toks[k].v);
        continue;
      }
    }
    if (kw(k, "create")) {
      let j = k + 1;
      while (kw(j, "or", "replace", "temp", "temporary")) j++;
      if (kw(j, "table", "view")) {
        j++;
        if (kw(j, "if") && kw(j + 1, "not") && kw(j + 2, "exists")) j += 3;
        const q = qualified(j);
        if (q && !defs.includes(q[0])) defs.push(q[0]);
        if (q) k = q[1] - 1;
      }
      continue;
    }
    const single = kw(k, "update", "describe", "summarize") || (kw(k, "into") && kw(k - 1, "insert"));
    if (single) {
      const q = qualified(k + 1);
      if (q && toks[q[1]]?.v !== "(") use(q[0]);
      else if (q && kw(k, "into")) use(q[0]); // INSERT INTO t (cols)
      continue;
    }
    if (kw(k, "from", "join")) {
      let j = k + 1;
      for (;;) {
        while (kw(j, "lateral", "only")) j++;
        const q = qualified(j);
        if (!q) break;
        j = q[1];
        if (toks[j]?.v === "(") break; // table function: read_csv(…)
        use(q[0]);
        if (kw(j, "as")) j += 2;
        else if (isName(j)) j++;
        if (toks[j]?.v === "(" && toks[j - 1]?.t === "id") {
          // alias column list: t AS x(a, b)
          let depth = 0;
          for (; j < toks.length; j++) {
            if (toks[j].v === "(") depth++;
            else if (toks[j].v === ")" && --depth === 0) break;
          }
          j++;
        }
        if (toks[j]?.v !== "," || !kw(k, "from")) break;
        j++;
      }
    }
  }
  return { defs, uses };
}

// ---------- cells and the graph ----------

const cache = new Map<string, CellAnalysis>();
const CACHE_LIMIT = 500;

function cached(key: string, compute: () => CellAnalysis): CellAnalysis {
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const value = compute();
  cache.set(key, value);
  if (cache.size > CACHE_LIMIT) cache.delete(cache.keys().next().value!);
  return value;
}

type AnalyzableCell = Pick<Cell, "id" | "kind" | "source"> & { check?: string };

/** What one cell defines and uses. Markdown and quiz cells define and use nothing. */
export function analyzeCell(cell: AnalyzableCell): CellAnalysis {
  switch (cell.kind) {
    case "code":
      return cached(`ts\0${cell.source}`, () => analyzeTypeScript(cell.source));
    case "sql":
      return cached(`sql\0${cell.source}`, () => analyzeSql(cell.source));
    case "exercise": {
      // The check runs after the student's code in the same scope: its names resolve there.
      const text = `${cell.source}\n;\n${cell.check ?? ""}`;
      return cached(`ts\0${text}`, () => analyzeTypeScript(text));
    }
    default:
      return { defs: [], uses: [] };
  }
}

export interface CellDependencies extends CellAnalysis {
  id: CellId;
  kind: CellKind;
  /** Earlier cells this one reads from (for each name, its last definer before this cell), in notebook order. */
  dependsOn: CellId[];
  /** Used names no earlier cell defines. */
  unresolved: string[];
}

export interface DependencyGraph {
  /** One entry per cell, in notebook order. */
  cells: CellDependencies[];
  byId: Record<string, CellDependencies>;
}

export function dependencyGraph(cells: readonly AnalyzableCell[]): DependencyGraph {
  const lastDefiner = new Map<string, { id: CellId; index: number }>();
  const out: CellDependencies[] = [];
  const byId: Record<string, CellDependencies> = {};
  cells.forEach((cell, index) => {
    const a = analyzeCell(cell);
    const deps = new Map<CellId, number>();
    const unresolved: string[] = [];
    for (const name of a.uses) {
      const d = lastDefiner.get(name);
      if (d) deps.set(d.id, d.index);
      else unresolved.push(name);
    }
    const node: CellDependencies = {
      id: cell.id,
      kind: cell.kind,
      defs: a.defs,
      uses: a.uses,
      dependsOn: [...deps.entries()].sort((x, y) => x[1] - y[1]).map(([id]) => id),
      unresolved,
      ...(a.error !== undefined ? { error: a.error } : {}),
    };
    for (const name of a.tables ?? []) lastDefiner.set(name, { id: cell.id, index });
    for (const name of a.defs) lastDefiner.set(name, { id: cell.id, index });
    out.push(node);
    byId[cell.id] = node;
  });
  return { cells: out, byId };
}

/** Cells that transitively depend on `cellId` (not itself), in notebook order. */
export function staleAfter(cellId: string, graph: DependencyGraph): CellId[] {
  const dependants = new Map<string, string[]>();
  for (const c of graph.cells) {
    for (const d of c.dependsOn) {
      const list = dependants.get(d) ?? [];
      list.push(c.id);
      dependants.set(d, list);
    }
  }
  const stale = new Set<string>();
  const queue = [cellId];
  while (queue.length) {
    for (const next of dependants.get(queue.pop()!) ?? []) {
      if (!stale.has(next) && next !== cellId) {
        stale.add(next);
        queue.push(next);
      }
    }
  }
  return graph.cells.filter((c) => stale.has(c.id)).map((c) => c.id);
}
