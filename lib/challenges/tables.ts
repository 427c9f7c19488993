// From a labelled table (a template's hidden.csv or an instructor's upload) to what a challenge
// stores: the features students download (id + features, no target), the hidden ids and labels,
// and for uploads the labelled train part students may learn from. Values keep their text as
// written in the source file.

import { formatCsv, parseCsv } from "@/lib/datasets/csv";
import type { Cell } from "@/lib/datasets/types";
import { ChallengeProblem, quote } from "./errors";
import { canonicalId, MAX_TEST_ROWS } from "./predictions";
import { pickRows } from "./split";
import type { Label } from "./truth";

/** Largest CSV an instructor may upload. */
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;
export const MAX_UPLOAD_ROWS = 500_000;
export const MAX_COLUMNS = 1_000;
/** Fewest hidden rows a challenge may have (both parts need a few). */
export const MIN_TEST_ROWS = 10;

const NUMBER_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

export interface TableSpec {
  targetColumn: string;
  /** null: ids are generated (1…n in file order) in a new column. */
  idColumn: string | null;
}

export interface PreparedChallenge {
  /** The id column's name in the files students get. */
  idColumn: string;
  featureColumns: string[];
  featuresCsv: string;
  /** Labelled rows students train on (uploads); null when the train data is a course dataset. */
  trainCsv: string | null;
  ids: string[];
  labels: Label[];
  trainRows: number;
}

export interface CsvColumnsInfo {
  columns: string[];
  rows: number;
  /** Distinct values of each column, up to 20 (to offer target and positive label choices). */
  values: Record<string, string[]>;
  /** Columns whose values are all distinct and non-empty (id candidates). */
  uniqueColumns: string[];
  numericColumns: string[];
}

interface RawTable {
  columns: string[];
  rows: (string | null)[][];
}

function readTable(text: string): RawTable {
  if (text.length > MAX_UPLOAD_BYTES) {
    throw new ChallengeProblem("tooLarge", `The file is larger than ${MAX_UPLOAD_BYTES / 1024 / 1024} MB`, { maxMb: MAX_UPLOAD_BYTES / 1024 / 1024, bytes: text.length });
  }
  let parsed;
  try {
    parsed = parseCsv(text, { infer: false });
  } catch (e) {
    throw new ChallengeProblem("badCsv", (e as Error).message, { detail: quote((e as Error).message, 120) });
  }
  if (parsed.columns.length === 0 || parsed.rows.length === 0) throw new ChallengeProblem("empty", "The file has no rows");
  if (parsed.columns.length > MAX_COLUMNS) throw new ChallengeProblem("tooManyColumns", `The file has more than ${MAX_COLUMNS} columns`, { max: MAX_COLUMNS });
  if (parsed.rows.length > MAX_UPLOAD_ROWS) throw new ChallengeProblem("tooManyRows", `The file has more than ${MAX_UPLOAD_ROWS} rows`, { max: MAX_UPLOAD_ROWS });
  const rows = parsed.rows.map((r) => parsed.columns.map((c) => r[c] as string | null));
  return { columns: parsed.columns, rows };
}

/** Column names, distinct values and id candidates of an uploaded CSV (for the creation form). */
export function inspectCsv(text: string): CsvColumnsInfo {
  const t = readTable(text);
  const values: Record<string, string[]> = {};
  const uniqueColumns: string[] = [];
  const numericColumns: string[] = [];
  t.columns.forEach((c, j) => {
    const seen = new Set<string>();
    let unique = true;
    let numeric = true;
    for (const r of t.rows) {
      const v = r[j];
      if (v === null || v === "") {
        unique = false;
        continue;
      }
      if (numeric && !NUMBER_RE.test(v)) numeric = false;
      if (seen.has(v)) unique = false;
      seen.add(v);
    }
    values[c] = [...seen].slice(0, 20);
    if (unique) uniqueColumns.push(c);
    if (numeric && seen.size > 0) numericColumns.push(c);
  });
  return { columns: t.columns, rows: t.rows.length, values, uniqueColumns, numericColumns };
}

function freeName(columns: readonly string[]): string {
  for (const name of ["id", "row_id", "_id", "cuaderno_id"]) if (!columns.includes(name)) return name;
  throw new ChallengeProblem("noIdColumn", "Could not name a generated id column", { column: "id" });
}

interface Resolved {
  idName: string;
  /** Source column index of the id, or -1 when generated. */
  idIndex: number;
  targetIndex: number;
  featureIndexes: number[];
  ids: string[];
  labels: Label[];
}

function resolve(t: RawTable, spec: TableSpec): Resolved {
  const targetIndex = t.columns.indexOf(spec.targetColumn);
  if (targetIndex < 0) {
    throw new ChallengeProblem("noTargetColumn", `There is no column "${quote(spec.targetColumn)}"`, { column: quote(spec.targetColumn) });
  }
  let idIndex = -1;
  let idName: string;
  const ids: string[] = [];
  if (spec.idColumn !== null) {
    idIndex = t.columns.indexOf(spec.idColumn);
    if (idIndex < 0 || idIndex === targetIndex) {
      throw new ChallengeProblem("noIdColumn", `There is no id column "${quote(spec.idColumn)}"`, { column: quote(spec.idColumn) });
    }
    idName = spec.idColumn;
    const seen = new Set<string>();
    t.rows.forEach((r, i) => {
      const raw = r[idIndex];
      if (raw === null || raw.trim() === "") throw new ChallengeProblem("idNotUnique", `Row ${i + 1} has no id`, { row: i + 1, id: "" });
      const id = canonicalId(raw);
      if (seen.has(id)) throw new ChallengeProblem("idNotUnique", `The id ${quote(raw)} appears twice (row ${i + 1})`, { row: i + 1, id: quote(raw) });
      seen.add(id);
      ids.push(id);
    });
  } else {
    idName = freeName(t.columns);
    for (let i = 0; i < t.rows.length; i++) ids.push(String(i + 1));
  }
  let numeric = true;
  const raw: string[] = [];
  t.rows.forEach((r, i) => {
    const v = r[targetIndex];
    if (v === null || v.trim() === "") throw new ChallengeProblem("missingTarget", `Row ${i + 1} has no value in "${quote(spec.targetColumn)}"`, { row: i + 1, column: quote(spec.targetColumn) });
    if (numeric && !NUMBER_RE.test(v.trim())) numeric = false;
    raw.push(v);
  });
  const labels: Label[] = numeric ? raw.map((v) => Number(v)) : raw;
  const featureIndexes = t.columns.map((_, j) => j).filter((j) => j !== targetIndex && j !== idIndex);
  return { idName, idIndex, targetIndex, featureIndexes, ids, labels };
}

function featuresCsvOf(t: RawTable, r: Resolved, rows: readonly number[]): string {
  const header = [r.idName, ...r.featureIndexes.map((j) => t.columns[j])];
  const records: Cell[][] = rows.map((i) => [r.idIndex < 0 ? r.ids[i] : t.rows[i][r.idIndex], ...r.featureIndexes.map((j) => t.rows[i][j])]);
  return formatCsv(header, records);
}

/** A template's hidden.csv: every row is hidden. */
export function prepareHiddenTable(text: string, spec: TableSpec): PreparedChallenge {
  const t = readTable(text);
  if (t.rows.length > MAX_TEST_ROWS) throw new ChallengeProblem("tooManyRows", `More than ${MAX_TEST_ROWS} hidden rows`, { max: MAX_TEST_ROWS });
  const r = resolve(t, spec);
  const all = t.rows.map((_, i) => i);
  return {
    idColumn: r.idName,
    featureColumns: r.featureIndexes.map((j) => t.columns[j]),
    featuresCsv: featuresCsvOf(t, r, all),
    trainCsv: null,
    ids: r.ids,
    labels: r.labels,
    trainRows: 0,
  };
}

export interface UploadSplit {
  /** Share of the rows that become the hidden test part (default 0.3). */
  testFraction: number;
  /** Seeds the draw (the challenge id). */
  seedText: string;
  /** Split each class apart (classification targets). */
  stratify: boolean;
}

/** An instructor's labelled CSV: a seeded part becomes hidden test rows, the rest the train file. */
export function prepareUploadedTable(text: string, spec: TableSpec, split: UploadSplit): PreparedChallenge {
  const t = readTable(text);
  const r = resolve(t, spec);
  const testMask = pickRows(t.rows.length, split.testFraction, `test:${split.seedText}`, split.stratify ? r.labels.map(String) : null);
  const test: number[] = [];
  const train: number[] = [];
  testMask.forEach((isTest, i) => (isTest ? test : train).push(i));
  if (test.length < MIN_TEST_ROWS) {
    throw new ChallengeProblem("tooFewRows", `Only ${test.length} rows would be hidden; a challenge needs at least ${MIN_TEST_ROWS}`, { got: test.length, min: MIN_TEST_ROWS });
  }
  if (test.length > MAX_TEST_ROWS) throw new ChallengeProblem("tooManyRows", `More than ${MAX_TEST_ROWS} hidden rows`, { max: MAX_TEST_ROWS });
  const trainHeader = r.idIndex < 0 ? [r.idName, ...t.columns] : t.columns;
  const trainRecords: Cell[][] = train.map((i) => (r.idIndex < 0 ? [r.ids[i], ...t.rows[i]] : t.rows[i]));
  return {
    idColumn: r.idName,
    featureColumns: r.featureIndexes.map((j) => t.columns[j]),
    featuresCsv: featuresCsvOf(t, r, test),
    trainCsv: formatCsv(trainHeader, trainRecords),
    ids: test.map((i) => r.ids[i]),
    labels: test.map((i) => r.labels[i]),
    trainRows: train.length,
  };
}
