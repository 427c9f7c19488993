// What the editor's TypeScript service sees of the cells above the one being edited, tslab-style:
// each earlier TypeScript cell is a module (`cells/c<i>.ts`) that imports the names earlier cells
// define (for each name the latest definer: Jupyter's redefinition rule) and exports its own, so
// types are inferred across cells by the compiler itself; the edited cell gets a global prelude
// (`cells/prelude.d.ts`) declaring each earlier name as `typeof import("./c<i>").name`. The edited
// cell is a module too (the `moduleDetection: force` option): its own declarations shadow the
// prelude's, and top-level `await` is fine. Pure: the browser and the lesson type-check test use it.

import type { CellAnalysis, DefKind } from "./dependencies";

export const CELLS_DIR = "file:///cuaderno/cells/";
export const PRELUDE_PATH = `${CELLS_DIR}prelude.d.ts`;

export interface TypedCellInput {
  id: string;
  source: string;
  analysis: Pick<CellAnalysis, "defs" | "kinds" | "types">;
}

interface Definer {
  /** Index among the TypeScript cells. */
  index: number;
  id: string;
  kind: DefKind | "type";
}

export function cellModulePath(index: number): string {
  return `${CELLS_DIR}c${index}.ts`;
}

const IDENT = /^[A-Za-z_$][\w$]*$/;
const WIDEN = "CuadernoWidened";

function ownNames(a: TypedCellInput["analysis"]): string[] {
  return [...a.defs, ...(a.types ?? [])].filter((n) => IDENT.test(n));
}

/** Records cell `index`'s names in `out` (name → its latest definer so far). */
function addDefiners(out: Map<string, Definer>, cell: TypedCellInput, index: number): void {
  const { analysis, id } = cell;
  for (const n of analysis.defs) if (IDENT.test(n)) out.set(n, { index, id, kind: analysis.kinds?.[n] ?? "let" });
  for (const n of analysis.types ?? []) if (IDENT.test(n) && !analysis.defs.includes(n)) out.set(n, { index, id, kind: "type" });
}

/** For each name, its latest definer among `cells[0..end)`. */
function definersBefore(cells: readonly TypedCellInput[], end: number): Map<string, Definer> {
  const out = new Map<string, Definer>();
  for (let i = 0; i < end; i++) addDefiners(out, cells[i], i);
  return out;
}

/** The module text of TypeScript cell `index`: imports of earlier names, its source, its exports. */
export function cellModule(cells: readonly TypedCellInput[], index: number): string {
  return moduleText(cells[index], definersBefore(cells, index));
}

/** A cell's module given the definers of the names before it. */
function moduleText(cell: TypedCellInput, before: ReadonlyMap<string, Definer>): string {
  const own = new Set(ownNames(cell.analysis));
  const byCell = new Map<number, string[]>();
  for (const [name, d] of before) {
    if (own.has(name)) continue;
    const list = byCell.get(d.index) ?? [];
    list.push(name);
    byCell.set(d.index, list);
  }
  // Imports on the first line, so the source keeps its own lines after it.
  const imports = [...byCell].sort((x, y) => x[0] - y[0]).map(([i, names]) => `import { ${names.join(", ")} } from "./c${i}";`).join(" ");
  return `${imports}\n${cell.source}\n;export { ${[...own].join(", ")} };\n`;
}

export interface Prelude {
  text: string;
  /** For go to definition: the name each line of `text` declares and the cell defining it. */
  lines: ({ name: string; cellId: string } | null)[];
}

/** The global declarations the cell at `index` sees: every earlier name it does not define itself. */
export function cellPrelude(cells: readonly TypedCellInput[], index: number, ownAnalysis?: TypedCellInput["analysis"]): Prelude {
  const own = new Set(ownNames(ownAnalysis ?? cells[index]?.analysis ?? { defs: [] }));
  // A cell's `const x = 41` may be run again with another value: later cells see `number`, not `41`.
  const lines: Prelude["lines"] = [null, null];
  const text: string[] = [
    "// The names earlier cells define, as the edited cell sees them (lib/notebook/cell-types.ts).",
    `type ${WIDEN}<T> = T extends string ? string : T extends number ? number : T extends boolean ? boolean : T extends bigint ? bigint : T;`,
  ];
  for (const [name, d] of definersBefore(cells, Math.min(index, cells.length))) {
    if (own.has(name)) continue;
    const from = `import("./c${d.index}")`;
    let line: string;
    switch (d.kind) {
      case "type":
        line = `type ${name} = ${from}.${name};`;
        break;
      case "class":
        line = `declare const ${name}: typeof ${from}.${name}; type ${name} = ${from}.${name};`;
        break;
      case "let":
      case "var":
        line = `declare let ${name}: typeof ${from}.${name};`;
        break;
      default:
        line = d.kind === "const" ? `declare const ${name}: ${WIDEN}<typeof ${from}.${name}>;` : `declare const ${name}: typeof ${from}.${name};`;
    }
    text.push(line);
    lines.push({ name, cellId: d.id });
  }
  return { text: text.join("\n") + "\n", lines };
}

/**
 * The modules of `cells[0..end)` by path, in one pass over the cells (a `cellModule` call per
 * cell walks the cells before it again: in a 40-cell notebook that was the longest step of an
 * editor's mount).
 */
export function cellModules(cells: readonly TypedCellInput[], end: number): Record<string, string> {
  const files: Record<string, string> = {};
  const definers = new Map<string, Definer>();
  for (let i = 0; i < Math.min(end, cells.length); i++) {
    files[cellModulePath(i)] = moduleText(cells[i], definers);
    addDefiners(definers, cells[i], i);
  }
  return files;
}

/** Every file the editor needs for the cell at `index`: the earlier cells' modules and its prelude. */
export function cellTypeFiles(cells: readonly TypedCellInput[], index: number, ownAnalysis?: TypedCellInput["analysis"]): { files: Record<string, string>; prelude: Prelude } {
  const files = cellModules(cells, index);
  const prelude = cellPrelude(cells, index, ownAnalysis);
  files[PRELUDE_PATH] = prelude.text;
  return { files, prelude };
}

/**
 * A cell checked where no editor shows it (a cell below the one being edited, whose header counts
 * its type errors): its prelude as declarations of the module itself (every cell is a module),
 * then its source. Module declarations shadow the global prelude of whichever cell is being
 * edited, so this file has the errors the cell's own editor would underline; diagnostics before
 * `sourceStart` belong to the prelude and are not the cell's.
 */
export function cellCheckText(cells: readonly TypedCellInput[], index: number): { text: string; sourceStart: number } {
  const prelude = cellPrelude(cells, index).text;
  return { text: prelude + cells[index].source, sourceStart: prelude.length };
}

/** The path of the file a check of a cell below the edited one uses (a fresh one each time: a reused path's versions could collide). */
export function cellCheckPath(serial: number): string {
  return `${CELLS_DIR}check-${serial}.ts`;
}

/** Where a top-level name is declared in a cell's source (for go to definition), or null. */
export function definitionOffset(source: string, name: string): number | null {
  const esc = name.replace(/\$/g, "\\$");
  const re = new RegExp(`^(?:export\\s+)?(?:declare\\s+)?(?:const|let|var|function\\*?|async\\s+function\\*?|class|type|interface|enum)\\s+(${esc})\\b`, "m");
  const m = re.exec(source);
  if (m) return m.index + m[0].length - name.length;
  // Destructuring and the like: the first occurrence as a whole word.
  const w = new RegExp(`(^|[^\\w$])(${esc})(?![\\w$])`).exec(source);
  return w ? w.index + w[1].length : null;
}

/**
 * The compiler options cells are checked with, in the editor and in the lessons' type-check test
 * (numeric enum values as in TypeScript 5: ES2022, ESNext, Bundler, moduleDetection Force). Cells
 * run in a Web Worker: its globals, not the DOM's. Lenient like a notebook: no implicit-any errors.
 */
export const CELL_COMPILER_OPTIONS = {
  target: 9,
  module: 99,
  moduleResolution: 100,
  moduleDetection: 3,
  lib: ["es2022", "webworker"],
  allowNonTsExtensions: true,
  strict: false,
  noImplicitAny: false,
  strictNullChecks: false,
  skipLibCheck: true,
  // `tf` and `ml` are UMD globals (values and namespaces of types); cells are modules.
  allowUmdGlobalAccess: true,
  noEmit: true,
  types: [] as string[],
} as const;

/**
 * Diagnostics that are noise in a cell: a bare last expression's value is shown, not unused
 * (2695 comma/7027 unreachable), and 80001/80005 are JS-only suggestions.
 */
export const IGNORED_DIAGNOSTICS = [7027, 80001, 80005] as const;
