// RFC 4180-style CSV reading and writing with per-column typing, shared by the browser kernel
// and the Node generators. Columns are typed as a whole (never cell by cell) so that a column of
// codes like "007" does not turn half-numeric.

import type { Cell, Row } from "./types";

export type ColumnType = "number" | "string" | "boolean";

export interface ParseCsvOptions {
  /** Force the type of some columns; the rest are inferred. */
  types?: Record<string, ColumnType>;
  /** Infer column types (default true). With false every column not in `types` is a string. */
  infer?: boolean;
}

export interface ParsedCsv {
  columns: string[];
  types: Record<string, ColumnType>;
  rows: Row[];
}

const NUMBER_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Splits CSV text into records of raw fields; `quoted` marks fields written between quotes. */
function tokenize(text: string): { fields: string[][]; quoted: boolean[][] } {
  const fields: string[][] = [];
  const quoted: boolean[][] = [];
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const n = text.length;
  let row: string[] = [];
  let rowQuoted: boolean[] = [];
  let line = 1;

  const endRow = () => {
    // A blank line (one empty unquoted field) is skipped rather than read as a record.
    if (!(row.length === 1 && row[0] === "" && !rowQuoted[0])) {
      fields.push(row);
      quoted.push(rowQuoted);
    }
    row = [];
    rowQuoted = [];
  };

  while (i <= n) {
    if (i === n) {
      // End of input: a trailing newline already closed the last record.
      if (row.length > 0) endRow();
      break;
    }
    if (text.charCodeAt(i) === 34 /* " */) {
      let value = "";
      let start = ++i;
      for (;;) {
        const q = text.indexOf('"', i);
        if (q < 0) throw new Error(`CSV: unterminated quoted field starting on line ${line}`);
        if (text.charCodeAt(q + 1) === 34) {
          value += text.slice(start, q + 1);
          i = start = q + 2;
          continue;
        }
        value += text.slice(start, q);
        i = q + 1;
        break;
      }
      for (let k = 0; k < value.length; k++) if (value.charCodeAt(k) === 10) line++;
      row.push(value);
      rowQuoted.push(true);
      const c = text.charCodeAt(i);
      if (i < n && c !== 44 && c !== 10 && c !== 13) {
        throw new Error(`CSV: unexpected character after closing quote on line ${line}`);
      }
    } else {
      let j = i;
      while (j < n) {
        const c = text.charCodeAt(j);
        if (c === 44 || c === 10 || c === 13) break;
        if (c === 34) throw new Error(`CSV: stray quote inside an unquoted field on line ${line}`);
        j++;
      }
      row.push(text.slice(i, j));
      rowQuoted.push(false);
      i = j;
    }
    // After a field: a comma, a line break or the end.
    if (i >= n) {
      endRow();
      break;
    }
    const c = text.charCodeAt(i);
    if (c === 44) {
      i++;
      if (i === n) {
        row.push("");
        rowQuoted.push(false);
        endRow();
        break;
      }
    } else {
      i += c === 13 && text.charCodeAt(i + 1) === 10 ? 2 : 1;
      line++;
      endRow();
    }
  }
  return { fields, quoted };
}

function inferType(values: string[], quoted: boolean[]): ColumnType {
  let sawValue = false;
  let numeric = true;
  let boolean = true;
  for (let r = 0; r < values.length; r++) {
    const v = values[r];
    if (v === "" && !quoted[r]) continue;
    sawValue = true;
    if (numeric && !NUMBER_RE.test(v)) numeric = false;
    if (boolean) {
      const l = v.toLowerCase();
      if (l !== "true" && l !== "false") boolean = false;
    }
    if (!numeric && !boolean) return "string";
  }
  if (!sawValue) return "string";
  return numeric ? "number" : boolean ? "boolean" : "string";
}

function convert(value: string, wasQuoted: boolean, type: ColumnType, column: string, line: number): Cell {
  if (value === "" && !wasQuoted) return null;
  if (type === "string") return value;
  if (type === "boolean") {
    const l = value.toLowerCase();
    if (l === "true") return true;
    if (l === "false") return false;
    if (value === "1") return true;
    if (value === "0") return false;
    throw new Error(`CSV: "${value}" in column "${column}" (record ${line}) is not a boolean`);
  }
  if (!NUMBER_RE.test(value)) {
    if (value === "") return null;
    throw new Error(`CSV: "${value}" in column "${column}" (record ${line}) is not a number`);
  }
  return Number(value);
}

/**
 * Parses CSV text with a header row. Empty unquoted fields become null; a quoted empty field in a
 * text column stays "". Numeric columns hold numbers, true/false columns booleans.
 */
export function parseCsv(text: string, options: ParseCsvOptions = {}): ParsedCsv {
  const { fields, quoted } = tokenize(text);
  if (fields.length === 0) return { columns: [], types: {}, rows: [] };
  const columns = fields[0];
  const seen = new Set<string>();
  for (const c of columns) {
    if (seen.has(c)) throw new Error(`CSV: duplicate column name "${c}"`);
    seen.add(c);
  }
  const width = columns.length;
  const count = fields.length - 1;
  for (let r = 1; r <= count; r++) {
    if (fields[r].length !== width) {
      throw new Error(`CSV: record ${r} has ${fields[r].length} fields, the header has ${width}`);
    }
  }

  const types: Record<string, ColumnType> = {};
  const infer = options.infer ?? true;
  const cellColumn = new Array<string>(count);
  const quotedColumn = new Array<boolean>(count);
  const typed: Cell[][] = [];
  for (let c = 0; c < width; c++) {
    for (let r = 0; r < count; r++) {
      cellColumn[r] = fields[r + 1][c];
      quotedColumn[r] = quoted[r + 1][c];
    }
    const name = columns[c];
    const type = options.types?.[name] ?? (infer ? inferType(cellColumn, quotedColumn) : "string");
    types[name] = type;
    const out = new Array<Cell>(count);
    for (let r = 0; r < count; r++) out[r] = convert(cellColumn[r], quotedColumn[r], type, name, r + 1);
    typed.push(out);
  }

  const rows = new Array<Row>(count);
  for (let r = 0; r < count; r++) {
    const row: Row = {};
    for (let c = 0; c < width; c++) row[columns[c]] = typed[c][r];
    rows[r] = row;
  }
  return { columns, types, rows };
}

function formatField(value: Cell): string {
  if (value === null) return "";
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new Error(`CSV: cannot write non-finite number ${value}`);
    return String(value);
  }
  const s = String(value);
  if (s === "" || /[",\r\n]/.test(s) || s.trim() !== s) return `"${s.replace(/"/g, '""')}"`;
  return s;
}

/** Writes a header and records ("\n" line endings, final newline); quotes only when needed. */
export function formatCsv(columns: readonly string[], records: readonly (readonly Cell[])[]): string {
  const lines = [columns.map(formatField).join(",")];
  for (const record of records) {
    if (record.length !== columns.length) {
      throw new Error(`CSV: record has ${record.length} fields, expected ${columns.length}`);
    }
    lines.push(record.map(formatField).join(","));
  }
  return lines.join("\n") + "\n";
}

/** Rounds to `digits` decimals, normalising -0 to 0 (keeps generated CSVs compact and stable). */
export function roundTo(value: number, digits: number): number {
  const r = Number(value.toFixed(digits));
  return r === 0 ? 0 : r;
}
