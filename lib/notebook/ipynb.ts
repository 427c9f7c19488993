// Jupyter nbformat 4.5 export/import. Code runs under Deno's TypeScript kernelspec; what
// Jupyter has no notion of (sql, exercise and quiz cells, display ids, error positions) rides
// along in `metadata.cuaderno`, so a round trip keeps every cell and field.

import { quizBody } from "./lesson-markdown";
import {
  CellId,
  type Cell,
  type CellOutput,
  type MimeBundle,
  type NotebookDocument,
  type NotebookMetadata,
  type QuizQuestion,
  type TableView,
  type TensorView,
} from "./types";

export type MultilineString = string | string[];

export interface IpynbOutput {
  output_type: "stream" | "display_data" | "execute_result" | "error";
  [key: string]: unknown;
}
export interface IpynbCell {
  cell_type: "markdown" | "code" | "raw";
  id?: string;
  metadata: Record<string, unknown>;
  source: MultilineString;
  outputs?: IpynbOutput[];
  execution_count?: number | null;
  attachments?: Record<string, unknown>;
}
export interface IpynbNotebook {
  nbformat: 4;
  nbformat_minor: number;
  metadata: Record<string, unknown>;
  cells: IpynbCell[];
}

export const DENO_KERNELSPEC = { name: "deno", display_name: "Deno", language: "typescript" } as const;
export const TYPESCRIPT_LANGUAGE_INFO = {
  name: "typescript",
  file_extension: ".ts",
  mimetype: "text/x.typescript",
  codemirror_mode: "typescript",
  nbconvert_exporter: "script",
  pygments_lexer: "typescript",
} as const;

const SQL_MAGIC = "%%sql";
const TABLE_MIME = "application/vnd.cuaderno.table+json";
const TENSOR_MIME = "application/vnd.cuaderno.tensor+json";

/** Jupyter's multiline form: lines keeping their "\n", the last one without. */
export function toMultiline(text: string): string[] {
  if (text === "") return [];
  const parts = text.split("\n");
  return parts.map((l, i) => (i < parts.length - 1 ? l + "\n" : l)).filter((l) => l !== "");
}

export function fromMultiline(v: unknown): string {
  if (Array.isArray(v)) return v.map(String).join("");
  return typeof v === "string" ? v : "";
}

const ID_OK = /^[a-zA-Z0-9-_]{1,64}$/;

function esc(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function tableHtml(v: TableView, maxRows = 50): string {
  const c = (tag: string, x: unknown) => `<${tag}>${esc(x === null || x === undefined ? "null" : String(x))}</${tag}>`;
  const rows = v.rows.slice(0, maxRows).map((r) => `<tr>${r.map((x) => c("td", x)).join("")}</tr>`).join("");
  const more = v.rows.length > maxRows ? `<p>… ${v.rows.length - maxRows} more rows</p>` : "";
  return `<table>${v.title ? `<caption>${esc(v.title)}</caption>` : ""}<thead><tr>${v.columns.map((x) => c("th", x)).join("")}</tr></thead><tbody>${rows}</tbody></table>${more}`;
}

/** A Jupyter-safe MIME bundle: text types as multiline strings, our JSON types with fallbacks. */
function exportBundle(data: MimeBundle): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [mime, value] of Object.entries(data)) {
    if (value === undefined) continue;
    if (/^application\/(.*\+)?json$/.test(mime)) out[mime] = value;
    else if (typeof value === "string") out[mime] = mime.startsWith("image/") && !mime.includes("svg") ? value : toMultiline(value);
    else out[mime] = toMultiline(JSON.stringify(value));
  }
  const table = data[TABLE_MIME] as TableView | undefined;
  if (table && !out["text/html"]) out["text/html"] = toMultiline(tableHtml(table));
  const tensor = data[TENSOR_MIME] as TensorView | undefined;
  if (tensor && !out["text/plain"]) out["text/plain"] = toMultiline(`Tensor ${tensor.dtype} [${tensor.shape.join(", ")}]`);
  if (!out["text/plain"] && Object.keys(out).length > 0 && !out["text/html"] && !out["image/png"]) {
    out["text/plain"] = [`<${Object.keys(out)[0]}>`];
  }
  return out;
}

function importBundle(data: unknown): MimeBundle {
  const out: MimeBundle = {};
  for (const [mime, value] of Object.entries((data ?? {}) as Record<string, unknown>)) {
    out[mime] = /^application\/(.*\+)?json$/.test(mime) ? value : fromMultiline(value);
  }
  return out;
}

type ErrorPosition = { output: number; line?: number; column?: number; stack?: string };

function exportOutputs(outputs: CellOutput[], executionCount: number | null): { outputs: IpynbOutput[]; errors: ErrorPosition[] } {
  const errors: ErrorPosition[] = [];
  const out = outputs.map((o, i): IpynbOutput => {
    switch (o.type) {
      case "stream":
        return { output_type: "stream", name: o.name, text: toMultiline(o.text) };
      case "display":
        return {
          output_type: "display_data",
          data: exportBundle(o.data),
          metadata: o.displayId !== undefined ? { cuaderno: { displayId: o.displayId } } : {},
        };
      case "result":
        return { output_type: "execute_result", execution_count: executionCount, data: exportBundle(o.data), metadata: {} };
      case "error": {
        const pos: ErrorPosition = { output: i };
        if (o.line !== undefined) pos.line = o.line;
        if (o.column !== undefined) pos.column = o.column;
        if (o.stack !== undefined) pos.stack = o.stack;
        if (Object.keys(pos).length > 1) errors.push(pos);
        const traceback = o.stack ? o.stack.split("\n") : [`${o.name}: ${o.message}`];
        return { output_type: "error", ename: o.name, evalue: o.message, traceback };
      }
    }
  });
  return { outputs: out, errors };
}

function cleanCellId(id: string, used: Set<string>): string {
  let base = ID_OK.test(id) ? id : id.replace(/[^a-zA-Z0-9-_]/g, "-").slice(0, 56) || "cell";
  let candidate = base;
  for (let n = 2; used.has(candidate); n++) candidate = `${base.slice(0, 56)}-${n}`;
  used.add(candidate);
  return candidate;
}

export interface ToIpynbOptions {
  /** Leave exercise solutions out (e.g. a student's export before the reveal). Default: kept. */
  omitSolutions?: boolean;
}

export function toIpynb(doc: NotebookDocument, opts: ToIpynbOptions = {}): IpynbNotebook {
  const used = new Set<string>();
  const cells = doc.cells.map((cell): IpynbCell => {
    const id = cleanCellId(cell.id, used);
    const meta: Record<string, unknown> = { ...(cell.metadata ?? {}) };
    const cuaderno: Record<string, unknown> = { kind: cell.kind };
    if (id !== cell.id) cuaderno.id = cell.id;
    switch (cell.kind) {
      case "markdown": {
        if (cell.raw) {
          meta.cuaderno = cuaderno;
          return { cell_type: "raw", id, metadata: meta, source: toMultiline(cell.source) };
        }
        if (id !== cell.id) meta.cuaderno = cuaderno;
        return { cell_type: "markdown", id, metadata: meta, source: toMultiline(cell.source) };
      }
      case "quiz": {
        cuaderno.questions = cell.questions;
        cuaderno.source = cell.source;
        meta.cuaderno = cuaderno;
        // Readable in Jupyter without giving the answers away.
        const text = cell.questions
          .map(
            (q, i) =>
              `**${i + 1}. ${q.prompt}**\n\n${q.options.map((o) => `- [ ] ${o.text}`).join("\n")}`,
          )
          .join("\n\n");
        return { cell_type: "markdown", id, metadata: meta, source: toMultiline(text) };
      }
      default: {
        const executionCount = cell.executionCount ?? null;
        const { outputs, errors } = exportOutputs(cell.outputs, executionCount);
        if (errors.length) cuaderno.errors = errors;
        let source = cell.source;
        if (cell.kind === "sql") source = `${SQL_MAGIC}\n${cell.source}`;
        if (cell.kind === "exercise") {
          cuaderno.starter = cell.starter;
          cuaderno.check = cell.check;
          cuaderno.hints = cell.hints;
          if (!opts.omitSolutions) cuaderno.solution = cell.solution;
        }
        if (cell.kind !== "code" || Object.keys(cuaderno).length > 1) meta.cuaderno = cuaderno;
        return {
          cell_type: "code",
          id,
          metadata: meta,
          execution_count: executionCount,
          outputs,
          source: toMultiline(source),
        };
      }
    }
  });
  const cuadernoMeta: Record<string, unknown> = { format: doc.format, ...doc.metadata };
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {
      kernelspec: { ...DENO_KERNELSPEC },
      language_info: { ...TYPESCRIPT_LANGUAGE_INFO },
      title: doc.metadata.title,
      cuaderno: cuadernoMeta,
    },
    cells,
  };
}

export function toIpynbJson(doc: NotebookDocument, opts: ToIpynbOptions = {}): string {
  return JSON.stringify(toIpynb(doc, opts), null, 1) + "\n";
}

/** Why a file could not be read as a notebook: `code` and `params` let the UI say it in its language. */
export class IpynbFormatError extends Error {
  constructor(
    readonly code: "invalidJson" | "noCells" | "version" | "cellType",
    message: string,
    readonly params: Record<string, string | number> = {},
  ) {
    super(message);
    this.name = "IpynbFormatError";
  }
}

function importOutputs(raw: unknown, errors: ErrorPosition[]): { outputs: CellOutput[]; resultCount: number | null } {
  const outputs: CellOutput[] = [];
  let resultCount: number | null = null;
  if (!Array.isArray(raw)) return { outputs, resultCount };
  raw.forEach((o: Record<string, unknown>, i) => {
    switch (o?.output_type) {
      case "stream":
        outputs.push({ type: "stream", name: o.name === "stderr" ? "stderr" : "stdout", text: fromMultiline(o.text) });
        break;
      case "display_data":
      case "update_display_data": {
        const meta = (o.metadata ?? {}) as { cuaderno?: { displayId?: string } };
        const transient = (o.transient ?? {}) as { display_id?: string };
        const displayId = meta.cuaderno?.displayId ?? transient.display_id;
        outputs.push({ type: "display", data: importBundle(o.data), ...(displayId !== undefined ? { displayId } : {}) });
        break;
      }
      case "execute_result":
        outputs.push({ type: "result", data: importBundle(o.data) });
        if (typeof o.execution_count === "number") resultCount = o.execution_count;
        break;
      case "pyerr":
      case "error": {
        const pos = errors.find((e) => e.output === i);
        const tb = Array.isArray(o.traceback) ? o.traceback.map(String) : [];
        const out: CellOutput = { type: "error", name: String(o.ename ?? "Error"), message: String(o.evalue ?? "") };
        if (pos?.line !== undefined) out.line = pos.line;
        if (pos?.column !== undefined) out.column = pos.column;
        if (pos?.stack !== undefined) out.stack = pos.stack;
        else if (tb.length && tb.join("\n") !== `${out.name}: ${out.message}`) out.stack = tb.join("\n");
        outputs.push(out);
        break;
      }
    }
  });
  return { outputs, resultCount };
}

/**
 * Reads any nbformat 4 notebook: ours round-trip exactly; others (Python, R…) keep every
 * cell — markdown and code as such, raw cells as raw markdown cells, `%%sql` cells as sql.
 */
export function fromIpynb(input: unknown): NotebookDocument {
  const nb = (typeof input === "string" ? safeJson(input) : input) as Partial<IpynbNotebook> | null;
  if (!nb || typeof nb !== "object" || !Array.isArray(nb.cells)) throw new IpynbFormatError("noCells", "not a Jupyter notebook: no cells");
  if (nb.nbformat !== 4) throw new IpynbFormatError("version", `only nbformat 4 is supported (got ${String(nb.nbformat)})`, { version: String(nb.nbformat) });
  const nbMeta = (nb.metadata ?? {}) as Record<string, unknown>;
  const ours = (nbMeta.cuaderno ?? {}) as Partial<NotebookMetadata> & { format?: number };
  const metadata: NotebookMetadata = {
    title: typeof ours.title === "string" ? ours.title : typeof nbMeta.title === "string" ? nbMeta.title : "",
  };
  if (ours.locale === "es" || ours.locale === "en") metadata.locale = ours.locale;
  if (typeof ours.lessonSlug === "string") metadata.lessonSlug = ours.lessonSlug;
  if (Array.isArray(ours.datasets)) metadata.datasets = ours.datasets.map(String);

  const used = new Set<string>();
  const cells = nb.cells.map((raw, index): Cell => {
    const rawMeta = { ...((raw.metadata ?? {}) as Record<string, unknown>) };
    const c = (rawMeta.cuaderno ?? {}) as Record<string, any>;
    delete rawMeta.cuaderno;
    let id = typeof c.id === "string" ? c.id : typeof raw.id === "string" && raw.id ? raw.id : `cell-${index + 1}`;
    while (used.has(id)) id = `${id}-${index + 1}`;
    used.add(id);
    const base = { id: CellId.of(id), ...(Object.keys(rawMeta).length ? { metadata: rawMeta } : {}) };
    const source = fromMultiline(raw.source);
    if (raw.cell_type === "raw") return { ...base, kind: "markdown", source, raw: true };
    if (raw.cell_type === "markdown") {
      if (c.kind === "quiz" && Array.isArray(c.questions)) {
        const questions = c.questions as QuizQuestion[];
        return { ...base, kind: "quiz", source: typeof c.source === "string" ? c.source : quizBody(questions), questions };
      }
      return { ...base, kind: "markdown", source };
    }
    if (raw.cell_type !== "code") throw new IpynbFormatError("cellType", `cell ${index + 1}: unknown cell_type "${String(raw.cell_type)}"`, { cell: index + 1, type: String(raw.cell_type) });
    const { outputs, resultCount } = importOutputs(raw.outputs, Array.isArray(c.errors) ? c.errors : []);
    const executionCount = typeof raw.execution_count === "number" ? raw.execution_count : resultCount;
    const run = { outputs, executionCount };
    const magic = /^%%sql[^\n]*(\n|$)/.exec(source);
    if (c.kind === "sql" || (c.kind === undefined && magic)) {
      return { ...base, ...run, kind: "sql", source: magic ? source.slice(magic[0].length) : source };
    }
    if (c.kind === "exercise") {
      return {
        ...base,
        ...run,
        kind: "exercise",
        source,
        starter: String(c.starter ?? ""),
        check: String(c.check ?? ""),
        hints: Array.isArray(c.hints) ? c.hints.map(String) : [],
        solution: String(c.solution ?? ""),
      };
    }
    return { ...base, ...run, kind: "code", source };
  });
  return { format: 1, metadata, cells };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new IpynbFormatError("invalidJson", `not a Jupyter notebook: invalid JSON (${(e as Error).message})`);
  }
}
