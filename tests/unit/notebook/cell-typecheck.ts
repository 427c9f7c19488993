// A TypeScript language service over exactly what the notebook editor's service holds: the
// generated declarations (scripts/notebook-types.mjs), the earlier cells' modules and the edited
// cell's prelude (lib/notebook/cell-types.ts), the edited cell as `cells/edit.ts`, with the same
// compiler options. Used by the cell-types and lesson type-check tests.
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import ts from "typescript";
import { CELL_COMPILER_OPTIONS, CELLS_DIR, cellCheckPath, cellCheckText, cellModule, cellModulePath, cellPrelude, cellTypeFiles, IGNORED_DIAGNOSTICS, PRELUDE_PATH, type TypedCellInput } from "@/lib/notebook/cell-types";
import { analyzeTypeScript } from "@/lib/notebook/dependencies";
import { buildNotebookTypes } from "@/scripts/notebook-types.mjs";

const require = createRequire(import.meta.url);
const libDir = dirname(require.resolve("typescript/lib/lib.d.ts"));
export const EDIT_PATH = `${CELLS_DIR}edit.ts`;

let declarations: { files: Record<string, string>; globals: string[] } | null = null;
/** The generated declarations (built once per test process: a few seconds). */
export function notebookDeclarations(): { files: Record<string, string>; globals: string[] } {
  declarations ??= buildNotebookTypes() as unknown as { files: Record<string, string>; globals: string[] };
  return declarations;
}

export interface CellDiagnostic {
  code: number;
  line: number;
  message: string;
}

export class CellTypeChecker {
  private readonly files = new Map<string, { text: string; version: number }>();
  readonly service: ts.LanguageService;

  constructor() {
    for (const [path, text] of Object.entries(notebookDeclarations().files)) this.files.set(path, { text, version: 1 });
    const options = { ...CELL_COMPILER_OPTIONS, lib: CELL_COMPILER_OPTIONS.lib.map((l) => `lib.${l}.d.ts`), types: [] } as unknown as ts.CompilerOptions;
    const read = (f: string) => this.files.get(f)?.text ?? (f.startsWith(libDir) && ts.sys.fileExists(f) ? ts.sys.readFile(f) : undefined);
    const host: ts.LanguageServiceHost = {
      getCompilationSettings: () => options,
      getScriptFileNames: () => [...this.files.keys()],
      getScriptVersion: (f) => String(this.files.get(f)?.version ?? 1),
      getScriptSnapshot: (f) => {
        const text = read(f);
        return text === undefined ? undefined : ts.ScriptSnapshot.fromString(text);
      },
      getCurrentDirectory: () => "/",
      getDefaultLibFileName: (o) => join(libDir, ts.getDefaultLibFileName(o)),
      fileExists: (f) => read(f) !== undefined,
      readFile: read,
    };
    this.service = ts.createLanguageService(host);
  }

  private set(path: string, text: string): void {
    const old = this.files.get(path);
    if (old?.text === text) return;
    this.files.set(path, { text, version: (old?.version ?? 0) + 1 });
  }

  /** Makes `source` the edited cell, below `earlier` (sources in notebook order). */
  edit(earlier: readonly string[], source: string): void {
    const cells: TypedCellInput[] = earlier.map((s, i) => ({ id: `cell-${i}`, source: s, analysis: analyzeTypeScript(s) }));
    const { files } = cellTypeFiles([...cells, { id: "edit", source, analysis: { defs: [] } }], cells.length);
    for (const path of this.files.keys()) if (path.startsWith(CELLS_DIR) && !(path in files)) files[path] = "export {};\n";
    for (const [path, text] of Object.entries(files)) this.set(path, text);
    this.set(EDIT_PATH, source);
  }

  /** The edited cell's errors, as the editor underlines them. */
  errors(): CellDiagnostic[] {
    return this.diagnostics(EDIT_PATH);
  }

  /**
   * The errors of cell `index` of `sources` checked as the browser checks a cell below the edited
   * one (cellCheckText), the edited cell's files (its prelude) left as they are.
   */
  checkBelow(sources: readonly string[], index: number): CellDiagnostic[] {
    const cells: TypedCellInput[] = sources.map((s, i) => ({ id: `cell-${i}`, source: s, analysis: analyzeTypeScript(s) }));
    for (let i = 0; i < index; i++) this.set(cellModulePath(i), cellModule(cells, i));
    const { text, sourceStart } = cellCheckText(cells, index);
    const path = cellCheckPath(++this.checks);
    this.set(path, text);
    try {
      return this.diagnostics(path, sourceStart);
    } finally {
      this.files.delete(path);
    }
  }

  private checks = 0;

  /**
   * The errors of every cell of `sources` at once, each checked as checkBelow checks it (its
   * prelude as the module's own declarations), all in one program: one type checker for the
   * whole notebook instead of one per cell. No cell is being edited: the global prelude is empty.
   */
  checkAll(sources: readonly string[]): CellDiagnostic[][] {
    const cells: TypedCellInput[] = sources.map((s, i) => ({ id: `cell-${i}`, source: s, analysis: analyzeTypeScript(s) }));
    this.set(PRELUDE_PATH, cellPrelude(cells, 0).text);
    this.set(EDIT_PATH, "export {};\n");
    for (let i = 0; i < cells.length; i++) this.set(cellModulePath(i), cellModule(cells, i));
    const checks = cells.map((_, i) => ({ path: cellCheckPath(++this.checks), ...cellCheckText(cells, i) }));
    for (const c of checks) this.set(c.path, c.text);
    try {
      return checks.map((c) => this.diagnostics(c.path, c.sourceStart));
    } finally {
      for (const c of checks) this.files.delete(c.path);
    }
  }

  private diagnostics(path: string, from = 0): CellDiagnostic[] {
    const source = this.files.get(path)!.text;
    const all = [...this.service.getSyntacticDiagnostics(path), ...this.service.getSemanticDiagnostics(path)];
    return all
      .filter((d) => d.category === ts.DiagnosticCategory.Error && !(IGNORED_DIAGNOSTICS as readonly number[]).includes(d.code) && (d.start ?? 0) >= from)
      .map((d) => ({
        code: d.code,
        line: source.slice(from, d.start ?? 0).split("\n").length,
        message: ts.flattenDiagnosticMessageText(d.messageText, "\n"),
      }));
  }

  /** Hover text at the first occurrence of `needle` (+ `offset`) in the edited cell. */
  hover(needle: string, offset = 0): { text: string; docs: string } | null {
    const at = this.position(needle, offset);
    const info = this.service.getQuickInfoAtPosition(EDIT_PATH, at);
    return info ? { text: ts.displayPartsToString(info.displayParts), docs: ts.displayPartsToString(info.documentation) } : null;
  }

  completions(needle: string, offset = 0): string[] {
    return this.service.getCompletionsAtPosition(EDIT_PATH, this.position(needle, offset), {})?.entries.map((e) => e.name) ?? [];
  }

  /** Signature help at a position: the label, each parameter and its doc (what Monaco's widget shows), the active parameter. */
  signature(needle: string, offset = 0): { label: string; parameters: string[]; docs: string[]; active: number } | null {
    const help = this.service.getSignatureHelpItems(EDIT_PATH, this.position(needle, offset), {});
    const item = help?.items[help.selectedItemIndex];
    if (!help || !item) return null;
    const parameters = item.parameters.map((p) => ts.displayPartsToString(p.displayParts));
    const docs = item.parameters.map((p) => ts.displayPartsToString(p.documentation));
    return { label: ts.displayPartsToString(item.prefixDisplayParts) + parameters.join(", ") + ts.displayPartsToString(item.suffixDisplayParts), parameters, docs, active: help.argumentIndex };
  }

  definition(needle: string, offset = 0): { fileName: string; line: number }[] {
    return (this.service.getDefinitionAtPosition(EDIT_PATH, this.position(needle, offset)) ?? []).map((d) => {
      const text = this.files.get(d.fileName)?.text ?? "";
      return { fileName: d.fileName, line: text.slice(0, d.textSpan.start).split("\n").length };
    });
  }

  private position(needle: string, offset: number): number {
    const source = this.files.get(EDIT_PATH)!.text;
    const i = source.indexOf(needle);
    if (i < 0) throw new Error(`"${needle}" is not in the edited cell`);
    return i + offset;
  }
}
