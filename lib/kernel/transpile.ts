// Turns a TypeScript cell into the body of an async function run against the kernel's shared
// scope, with Jupyter semantics: top-level names live on the scope object (re-running a cell
// redefines them, functions from earlier cells see later values), top-level await works, the
// value of the last expression is returned, and every line keeps the cell's own line number.
//
// sucrase strips the types (it preserves line numbers); acorn gives the statement structure;
// sucrase's parser gives identifier roles and scopes, which say which references are free.

import { parse as parseAst } from "acorn";
import { transform } from "sucrase";
import { parse as parseTokens, type SucraseScope, type SucraseToken } from "sucrase/dist/parser/index.js";
import { IdentifierRole } from "sucrase/dist/parser/tokenizer/index.js";
import { TokenType } from "sucrase/dist/parser/tokenizer/types.js";

/** Parameter names of the generated function (unlikely to clash with student names). */
export const SCOPE_PARAM = "__$s"; // the scope's plain object: fast reads and writes
export const CHECKED_PARAM = "__$r"; // a Proxy on it: reading a missing name throws ReferenceError
export const AWAIT_PARAM = "__$a"; // wraps every awaited value: the cooperative interrupt check

export interface TranspileOptions {
  /** Names already on the kernel scope (earlier cells, kernel globals such as tf or show). */
  isScopeName?: (name: string) => boolean;
  /** Host globals left untouched (Math, JSON, fetch...). Defaults to `name in globalThis`. */
  isHostGlobal?: (name: string) => boolean;
}

export interface TranspiledCell {
  /** Body of `async function (__$s, __$r, __$a) { ... }`; line N is line N of the cell. */
  body: string;
  /** Top-level names the cell declares (const/let/var/function/class, destructuring included). */
  declared: string[];
  /** Free names the cell reads or writes that are not host globals (used to load lazy globals). */
  uses: string[];
  /** Whether the cell ends in an expression whose value is returned. */
  hasResult: boolean;
}

/** A syntax error located in the cell's own source (1-based line and column). */
export class CellSyntaxError extends SyntaxError {
  readonly line: number;
  readonly column: number;
  constructor(message: string, line: number, column: number) {
    super(`${message} (line ${line})`);
    this.name = "SyntaxError";
    this.line = line;
    this.column = column;
  }
}

interface AstNode {
  type: string;
  start: number;
  end: number;
  [key: string]: unknown;
}

interface Edit {
  start: number;
  end: number;
  text: string;
  seq: number;
}

// Never rewritten: they are not scope variables even when no declaration is visible.
const NEVER_REWRITE = new Set(["arguments", "undefined", "NaN", "Infinity", "globalThis", "eval"]);

const ACCESS = IdentifierRole.Access;
const SHORTHAND = IdentifierRole.ObjectShorthand;
const NESTED_DECLARATION = new Set([
  IdentifierRole.FunctionScopedDeclaration,
  IdentifierRole.BlockScopedDeclaration,
  IdentifierRole.ObjectShorthandFunctionScopedDeclaration,
  IdentifierRole.ObjectShorthandBlockScopedDeclaration,
]);
const FUNCTION_SCOPED = new Set([
  IdentifierRole.FunctionScopedDeclaration,
  IdentifierRole.ObjectShorthandFunctionScopedDeclaration,
]);

function positionToLineColumn(source: string, pos: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < pos && i < source.length; i++) {
    if (source.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: pos - lineStart + 1 };
}

function toCellSyntaxError(err: unknown, source: string): CellSyntaxError {
  const e = err as { message?: string; loc?: { line: number; column: number }; pos?: number };
  const message = String(e.message ?? err).replace(/\s*\(\d+:\d+\)\s*$/, "");
  if (e.loc && typeof e.loc.line === "number") return new CellSyntaxError(message, e.loc.line, e.loc.column + 1);
  if (typeof e.pos === "number") {
    const { line, column } = positionToLineColumn(source, e.pos);
    return new CellSyntaxError(message, line, column);
  }
  return new CellSyntaxError(message, 1, 1);
}

/** Pre-order walk over an acorn tree. */
function walk(node: AstNode, visit: (node: AstNode) => void): void {
  visit(node);
  for (const key in node) {
    if (key === "type" || key === "start" || key === "end" || key === "loc") continue;
    const value = node[key];
    if (Array.isArray(value)) {
      for (const child of value) if (child && typeof child === "object" && "type" in child) walk(child as AstNode, visit);
    } else if (value && typeof value === "object" && "type" in (value as object)) {
      walk(value as AstNode, visit);
    }
  }
}

/** Marks references that resolve to a declaration inside the cell (a parameter, a block `let`...). */
function markShadowed(tokens: SucraseToken[], scopes: SucraseScope[], code: string): void {
  const nameOf = (t: SucraseToken) => code.slice(t.start, t.end);
  const innermost = (index: number, functionOnly: boolean): SucraseScope | undefined => {
    let best: SucraseScope | undefined;
    for (const s of scopes) {
      if (s.startTokenIndex > index || index >= s.endTokenIndex) continue;
      if (functionOnly && !s.isFunctionScope) continue;
      if (!best || s.endTokenIndex - s.startTokenIndex < best.endTokenIndex - best.startTokenIndex) best = s;
    }
    return best;
  };
  tokens.forEach((t, i) => {
    if (t.type !== TokenType.name || t.isType || t.identifierRole == null) return;
    if (!NESTED_DECLARATION.has(t.identifierRole)) return;
    const scope = innermost(i, FUNCTION_SCOPED.has(t.identifierRole));
    if (!scope) return;
    const name = nameOf(t);
    for (let j = scope.startTokenIndex; j < scope.endTokenIndex; j++) {
      const u = tokens[j];
      if (u.type === TokenType.name && nameOf(u) === name) u.shadowsGlobal = true;
    }
  });
}

/** Strips TypeScript and rewrites the cell for the kernel scope. Pure; throws CellSyntaxError. */
export function transpileCell(source: string, options: TranspileOptions = {}): TranspiledCell {
  const isScopeName = options.isScopeName ?? (() => false);
  const isHostGlobal = options.isHostGlobal ?? ((name: string) => name in globalThis);

  let js: string;
  try {
    js = transform(source, {
      transforms: ["typescript"],
      disableESTransforms: true,
      keepUnusedImports: true,
    }).code;
  } catch (err) {
    throw toCellSyntaxError(err, source);
  }

  let program: AstNode;
  try {
    program = parseAst(js, {
      ecmaVersion: "latest",
      sourceType: "module",
      allowAwaitOutsideFunction: true,
    }) as unknown as AstNode;
  } catch (err) {
    throw toCellSyntaxError(err, js);
  }

  const edits: Edit[] = [];
  let seq = 0;
  const replace = (start: number, end: number, text: string) => edits.push({ start, end, text, seq: seq++ });
  const insert = (at: number, text: string) => replace(at, at, text);
  const declared = new Set<string>();
  const hoisted: string[] = [];
  const body = program.body as AstNode[];

  const lineOf = (node: AstNode) => positionToLineColumn(js, node.start);

  const declarePattern = (p: AstNode | null): void => {
    if (!p) return;
    switch (p.type) {
      case "Identifier": {
        const name = p.name as string;
        declared.add(name);
        replace(p.start, p.end, `${SCOPE_PARAM}.${name}`);
        break;
      }
      case "ObjectPattern":
        for (const prop of p.properties as AstNode[]) {
          if (prop.type === "RestElement") {
            declarePattern(prop.argument as AstNode);
          } else if (prop.shorthand) {
            const value = prop.value as AstNode;
            const id = (value.type === "AssignmentPattern" ? value.left : value) as AstNode;
            const name = id.name as string;
            declared.add(name);
            replace(id.start, id.end, `${name}: ${SCOPE_PARAM}.${name}`);
          } else {
            declarePattern(prop.value as AstNode);
          }
        }
        break;
      case "ArrayPattern":
        for (const el of p.elements as (AstNode | null)[]) declarePattern(el);
        break;
      case "RestElement":
        declarePattern(p.argument as AstNode);
        break;
      case "AssignmentPattern":
        declarePattern(p.left as AstNode);
        break;
    }
  };

  for (const stmt of body) {
    switch (stmt.type) {
      case "ImportDeclaration": {
        const { line, column } = lineOf(stmt);
        throw new CellSyntaxError(
          "import statements are not supported in cells: tf, ml, data, sql and show are already available",
          line,
          column,
        );
      }
      case "ExportNamedDeclaration":
      case "ExportDefaultDeclaration":
      case "ExportAllDeclaration": {
        const { line, column } = lineOf(stmt);
        throw new CellSyntaxError(
          "export is not supported in cells: top-level names are already visible to later cells",
          line,
          column,
        );
      }
      case "VariableDeclaration": {
        // `const {a, b: [c]} = v` → `;({a: __$s.a, b: [__$s.c]} = v);`
        replace(stmt.start, stmt.start + (stmt.kind as string).length, ";(");
        for (const d of stmt.declarations as AstNode[]) {
          declarePattern(d.id as AstNode);
          if (!d.init) insert((d.id as AstNode).end, " = undefined");
        }
        if (js[stmt.end - 1] === ";") insert(stmt.end - 1, ")");
        else insert(stmt.end, ");");
        break;
      }
      case "FunctionDeclaration": {
        const name = (stmt.id as AstNode).name as string;
        declared.add(name);
        hoisted.push(`${SCOPE_PARAM}.${name} = ${name};`);
        break;
      }
      case "ClassDeclaration": {
        const name = (stmt.id as AstNode).name as string;
        declared.add(name);
        insert(stmt.end, `;${SCOPE_PARAM}.${name} = ${name};`);
        break;
      }
    }
  }

  const last = body[body.length - 1];
  let hasResult = false;
  if (last && last.type === "ExpressionStatement" && !last.directive) {
    const expr = last.expression as AstNode;
    if (expr.type !== "AssignmentExpression") {
      // The statement's range, not the expression's: `(a)` starts at the parenthesis.
      hasResult = true;
      insert(last.start, "return (");
      insert(js[last.end - 1] === ";" ? last.end - 1 : last.end, ")");
    }
  }

  const labels = new Set<number>();
  const asyncKeywords = new Set<number>(); // sucrase reads `async` in `async () => x` as a name
  walk(program, (node) => {
    if (node.type === "LabeledStatement") labels.add((node.label as AstNode).start);
    if (node.async === true && js.startsWith("async", node.start)) asyncKeywords.add(node.start);
    if (node.type === "AwaitExpression") {
      insert(node.start, `${AWAIT_PARAM}(`);
      insert(node.end, ")");
    }
  });

  // References: free names become scope reads/writes.
  const { tokens, scopes } = parseTokens(js, false, false, false);
  markShadowed(tokens, scopes, js);
  const uses = new Set<string>();
  tokens.forEach((t, i) => {
    if (t.type !== TokenType.name || t.isType || t.shadowsGlobal) return;
    if (t.identifierRole !== ACCESS && t.identifierRole !== SHORTHAND) return;
    if (labels.has(t.start) || asyncKeywords.has(t.start)) return;
    const name = js.slice(t.start, t.end);
    if (NEVER_REWRITE.has(name)) return;
    let ref: string;
    if (declared.has(name) || isScopeName(name)) ref = `${SCOPE_PARAM}.${name}`;
    else if (isHostGlobal(name)) return;
    else ref = i > 0 && tokens[i - 1].type === TokenType._typeof ? `${SCOPE_PARAM}.${name}` : `${CHECKED_PARAM}.${name}`;
    uses.add(name);
    replace(t.start, t.end, t.identifierRole === SHORTHAND ? `${name}: ${ref}` : ref);
  });

  edits.sort((a, b) => a.start - b.start || a.end - a.start - (b.end - b.start) || a.seq - b.seq);
  let out = "";
  let cursor = 0;
  for (const e of edits) {
    if (e.start < cursor) throw new Error(`transpileCell: overlapping rewrite at ${e.start}`);
    out += js.slice(cursor, e.start) + e.text;
    cursor = e.end;
  }
  out += js.slice(cursor);

  // The prologue shares line 1 so that line numbers stay those of the cell.
  const prologue = `"use strict";${hoisted.join("")}`;
  return { body: prologue + out, declared: [...declared], uses: [...uses], hasResult };
}

/**
 * Remembers transpiled cells by source. A cell's output also depends on which of its free names
 * are on the scope (or host globals) at the time, so each entry keeps the answers it was built
 * with and is reused only while they are still the same: re-running a cell skips sucrase and
 * acorn. Syntax errors are not cached.
 */
export class TranspileCache {
  private readonly entries = new Map<string, { cell: TranspiledCell; asked: [name: string, scope: boolean, host: boolean | null][] }>();
  constructor(private readonly limit = 200) {}

  get size(): number {
    return this.entries.size;
  }

  transpile(source: string, options: TranspileOptions = {}): TranspiledCell {
    const isScopeName = options.isScopeName ?? (() => false);
    const isHostGlobal = options.isHostGlobal ?? ((name: string) => name in globalThis);
    const hit = this.entries.get(source);
    if (hit && hit.asked.every(([name, scope, host]) => isScopeName(name) === scope && (host === null || isHostGlobal(name) === host))) {
      this.entries.delete(source); // most recently used last
      this.entries.set(source, hit);
      return hit.cell;
    }
    const asked = new Map<string, [string, boolean, boolean | null]>();
    const cell = transpileCell(source, {
      isScopeName: (name) => {
        const answer = isScopeName(name);
        asked.set(name, [name, answer, asked.get(name)?.[2] ?? null]);
        return answer;
      },
      isHostGlobal: (name) => {
        const answer = isHostGlobal(name);
        asked.set(name, [name, asked.get(name)?.[1] ?? isScopeName(name), answer]);
        return answer;
      },
    });
    this.entries.delete(source);
    this.entries.set(source, { cell, asked: [...asked.values()] });
    if (this.entries.size > this.limit) this.entries.delete(this.entries.keys().next().value!);
    return cell;
  }
}
