// An instructor's CSV dataset checked in one linear pass (issue 15 points 7 and 10): at most
// 50 MB, UTF-8, a header of unique names, every record as wide as the header (a ragged row is
// refused naming it), column types inferred as lib/datasets/csv.ts types them (a whole column is a
// number, true/false, or text), and the first rows kept as a preview. Rows are never all held in
// memory: a 50 MB file is scanned, not parsed into objects.
import { LessonImportError } from "./errors";

export const MAX_DATASET_BYTES = 50 * 1024 * 1024;
export const MAX_COLUMNS = 500;
export const PREVIEW_ROWS = 20;
const NUMBER_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

export type DatasetColumnType = "number" | "boolean" | "string";

export interface CsvSummary {
  columns: { name: string; type: DatasetColumnType }[];
  rowCount: number;
  /** The first rows as written (strings; null for an empty unquoted field). */
  preview: (string | null)[][];
}

function refuse(key: "csvTooLarge" | "csvRagged" | "csvEmpty" | "csvNotText" | "csvHeader", message: string, params: Record<string, string | number> = {}): never {
  throw new LessonImportError(key, message, params);
}

export function inspectCsv(bytes: Uint8Array): CsvSummary {
  if (bytes.length > MAX_DATASET_BYTES) refuse("csvTooLarge", `the CSV is larger than ${MAX_DATASET_BYTES} bytes`, { limit: MAX_DATASET_BYTES });
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    refuse("csvNotText", "the CSV is not UTF-8 text");
  }
  let header: string[] | null = null;
  let kinds: { number: boolean; boolean: boolean; values: number }[] = [];
  const preview: (string | null)[][] = [];
  let rowCount = 0;
  let record: string[] = [];
  let recordQuoted: boolean[] = [];
  let line = 1;
  let recordLine = 1;

  const endRecord = () => {
    if (record.length === 1 && record[0] === "" && !recordQuoted[0]) {
      record = [];
      recordQuoted = [];
      return; // a blank line
    }
    if (!header) {
      if (record.length > MAX_COLUMNS) refuse("csvHeader", `more than ${MAX_COLUMNS} columns`, { problem: `more than ${MAX_COLUMNS} columns` });
      const seen = new Set<string>();
      for (const name of record) {
        if (name.trim() === "" || seen.has(name)) refuse("csvHeader", `the header has an empty or repeated column name "${name}"`, { problem: name });
        seen.add(name);
      }
      header = record;
      kinds = header.map(() => ({ number: true, boolean: true, values: 0 }));
    } else {
      rowCount++;
      if (record.length !== header.length) {
        refuse("csvRagged", `row ${rowCount} (line ${recordLine}) has ${record.length} columns, the header has ${header.length}`, { row: rowCount, line: recordLine, found: record.length, expected: header.length });
      }
      for (let c = 0; c < record.length; c++) {
        const v = record[c]!;
        if (v === "" && !recordQuoted[c]) continue; // missing value: any type
        const k = kinds[c]!;
        k.values++;
        if (k.number && (recordQuoted[c] || !NUMBER_RE.test(v.trim()))) k.number = false;
        if (k.boolean && !/^(true|false)$/i.test(v.trim())) k.boolean = false;
      }
      if (preview.length < PREVIEW_ROWS) preview.push(record.map((v, c) => (v === "" && !recordQuoted[c] ? null : v)));
    }
    record = [];
    recordQuoted = [];
  };

  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const n = text.length;
  let field = "";
  let quoted = false;
  recordLine = line;
  while (i < n) {
    const ch = text[i]!;
    if (ch === '"' && field === "" && !quoted) {
      // A quoted field: up to the closing quote ("" is a quote inside it).
      quoted = true;
      i++;
      let start = i;
      for (;;) {
        const q = text.indexOf('"', i);
        if (q < 0) refuse("csvRagged", `a quoted field opened on line ${line} is never closed`, { row: rowCount + 1, line, found: record.length + 1, expected: header ? (header as string[]).length : 0 });
        for (let k = i; k < q; k++) if (text.charCodeAt(k) === 10) line++;
        field += text.slice(start, q);
        if (text[q + 1] === '"') {
          field += '"';
          i = q + 2;
          start = i;
          continue;
        }
        i = q + 1;
        break;
      }
      continue;
    }
    if (ch === ",") {
      record.push(field);
      recordQuoted.push(quoted);
      field = "";
      quoted = false;
      i++;
      continue;
    }
    if (ch === "\n" || ch === "\r") {
      record.push(field);
      recordQuoted.push(quoted);
      field = "";
      quoted = false;
      endRecord();
      i += ch === "\r" && text[i + 1] === "\n" ? 2 : 1;
      line++;
      recordLine = line;
      continue;
    }
    // An unquoted run up to the next delimiter.
    let j = i;
    while (j < n) {
      const c = text.charCodeAt(j);
      if (c === 44 || c === 10 || c === 13) break;
      j++;
    }
    field += text.slice(i, j);
    i = j;
  }
  if (field !== "" || quoted || record.length > 0) {
    record.push(field);
    recordQuoted.push(quoted);
    endRecord();
  }
  if (!header || rowCount === 0) refuse("csvEmpty", "the CSV has no rows");
  const columns = (header as string[]).map((name, c) => {
    const k = kinds[c]!;
    const type: DatasetColumnType = k.values > 0 && k.number ? "number" : k.values > 0 && k.boolean ? "boolean" : "string";
    return { name, type };
  });
  return { columns, rowCount, preview };
}
