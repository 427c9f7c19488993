// Reads a submission into one number per hidden row, in the order of the test features: from a
// CSV (`id,prediction`), an array of numbers (feature-file order) or `{ id, prediction }` rows.
// Every refusal is a ChallengeProblem naming the first offending line or id, so a student can fix
// the file; nothing is partially accepted.

import { ChallengeProblem, quote } from "./errors";

/** Largest prediction file accepted (bytes of UTF-8). */
export const MAX_PREDICTIONS_BYTES = 5 * 1024 * 1024;
/** Largest hidden test set a challenge may have (and so the longest prediction list). */
export const MAX_TEST_ROWS = 200_000;

const NUMBER_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Ids compare as text, except that numeric ids compare by value ("7", "7.0" and 7 are one id). */
export function canonicalId(id: string | number): string {
  if (typeof id === "number") return String(id);
  const s = id.trim();
  return NUMBER_RE.test(s) ? String(Number(s)) : s;
}

/** Map from canonical id to its row in the hidden set (ids already canonical and unique). */
export function indexIds(ids: readonly string[]): Map<string, number> {
  const index = new Map<string, number>();
  for (let i = 0; i < ids.length; i++) index.set(ids[i], i);
  return index;
}

function utf8Length(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

function tooLarge(bytes: number): ChallengeProblem {
  const mb = MAX_PREDICTIONS_BYTES / 1024 / 1024;
  return new ChallengeProblem("tooLarge", `The prediction file is larger than ${mb} MB`, { maxMb: mb, bytes });
}

/** A prediction value from text: a finite number, or a precise refusal. `where` says which line. */
function numberFromText(raw: string, where: { line: number; id: string }): number {
  const v = raw.trim();
  if (v === "") throw new ChallengeProblem("missingValue", `Line ${where.line} (id ${quote(where.id)}) has no prediction`, where);
  if (NUMBER_RE.test(v)) {
    const n = Number(v);
    if (!Number.isFinite(n)) throw new ChallengeProblem("notFinite", `Line ${where.line} (id ${quote(where.id)}): ${quote(v)} is too large`, { ...where, value: quote(v) });
    return n;
  }
  const l = v.toLowerCase();
  if (l === "nan" || l === "-nan" || l === "na" || l === "null" || l === "none")
    throw new ChallengeProblem("notANumber", `Line ${where.line} (id ${quote(where.id)}): the prediction is ${quote(v)}, not a number`, { ...where, value: quote(v) });
  if (/^[+-]?(inf|infinity)$/.test(l))
    throw new ChallengeProblem("notFinite", `Line ${where.line} (id ${quote(where.id)}): the prediction is ${quote(v)}, not a finite number`, { ...where, value: quote(v) });
  throw new ChallengeProblem("text", `Line ${where.line} (id ${quote(where.id)}): "${quote(v)}" is text, not a number`, { ...where, value: quote(v) });
}

/** A field that may be written between double quotes (ids from spreadsheets often are). */
function unquote(field: string): string {
  const f = field.trim();
  if (f.length >= 2 && f.charCodeAt(0) === 34 && f.charCodeAt(f.length - 1) === 34) return f.slice(1, -1).replace(/""/g, '"');
  return f;
}

export interface PredictionTarget {
  /** Canonical ids of the hidden rows, in feature-file order. */
  ids: readonly string[];
  /** From indexIds(ids); pass it in to reuse it across submissions. */
  index?: Map<string, number>;
  /** The challenge's id column: the header's first field must be this or "id". */
  idColumn: string;
}

function placeRows(target: PredictionTarget): {
  out: Float64Array;
  put: (id: string, value: number, line: number, rawId: string) => void;
  finish: (rowsSeen: number) => Float64Array;
} {
  const index = target.index ?? indexIds(target.ids);
  const out = new Float64Array(target.ids.length);
  const seen = new Uint8Array(target.ids.length);
  return {
    out,
    put(id, value, line, rawId) {
      const row = index.get(id);
      if (row === undefined) throw new ChallengeProblem("unknownId", `Line ${line}: id ${quote(rawId)} is not in the test set`, { line, id: quote(rawId) });
      if (seen[row]) throw new ChallengeProblem("duplicateId", `Line ${line}: id ${quote(rawId)} appears twice`, { line, id: quote(rawId) });
      seen[row] = 1;
      out[row] = value;
    },
    finish(rowsSeen) {
      if (rowsSeen !== target.ids.length) {
        const missing = target.ids[seen.indexOf(0)];
        throw new ChallengeProblem(
          "wrongLength",
          `Expected ${target.ids.length} predictions, got ${rowsSeen}` + (missing !== undefined ? ` (id ${quote(missing)} is missing)` : ""),
          { expected: target.ids.length, got: rowsSeen, missing: missing === undefined ? "" : quote(missing) },
        );
      }
      return out;
    },
  };
}

/**
 * Parses `id,prediction` CSV text (a header line, then one line per test row, any order).
 * Returns the predictions in the order of `target.ids`.
 */
export function parsePredictionsCsv(text: string, target: PredictionTarget): Float64Array {
  if (text.length > MAX_PREDICTIONS_BYTES || (text.length * 3 > MAX_PREDICTIONS_BYTES && utf8Length(text) > MAX_PREDICTIONS_BYTES)) {
    throw tooLarge(utf8Length(text));
  }
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const lines = body.split("\n");
  let first = 0;
  while (first < lines.length && lines[first].trim() === "") first++;
  if (first === lines.length) throw new ChallengeProblem("empty", "The prediction file is empty");

  const header = lines[first].replace(/\r$/, "").split(",").map(unquote);
  const idName = header[0]?.replace(/^\uFEFF/, "");
  if (header.length !== 2 || (idName !== target.idColumn && idName.toLowerCase() !== "id")) {
    throw new ChallengeProblem(
      "badHeader",
      `The first line must be the header "${target.idColumn},prediction" (two columns: id and prediction); got "${quote(lines[first].trim(), 60)}"`,
      { expected: `${target.idColumn},prediction`, got: quote(lines[first].trim(), 60) },
    );
  }

  // Count data lines first: a file of the wrong length is the commonest mistake and says the most.
  let count = 0;
  for (let i = first + 1; i < lines.length; i++) if (lines[i].trim() !== "") count++;
  if (count === 0) throw new ChallengeProblem("empty", "The prediction file has a header but no predictions");
  if (count !== target.ids.length) {
    throw new ChallengeProblem("wrongLength", `Expected ${target.ids.length} predictions, got ${count}`, { expected: target.ids.length, got: count, missing: "" });
  }

  const place = placeRows(target);
  let rows = 0;
  for (let i = first + 1; i < lines.length; i++) {
    const raw = lines[i];
    if (raw.trim() === "") continue;
    const lineNo = i + 1;
    const line = raw.charCodeAt(raw.length - 1) === 13 ? raw.slice(0, -1) : raw;
    const comma = line.lastIndexOf(",");
    // Ids may hold commas inside quotes; the prediction never does, so split at the last comma.
    if (comma < 0) throw new ChallengeProblem("badRow", `Line ${lineNo} needs two values: id and prediction`, { line: lineNo });
    const rawId = unquote(line.slice(0, comma));
    const id = canonicalId(rawId);
    if (line.indexOf(",") !== comma && !line.trimStart().startsWith('"')) {
      throw new ChallengeProblem("badRow", `Line ${lineNo} has more than two values`, { line: lineNo });
    }
    const value = numberFromText(unquote(line.slice(comma + 1)), { line: lineNo, id: quote(rawId) });
    place.put(id, value, lineNo, rawId);
    rows++;
  }
  return place.finish(rows);
}

/** A prediction value from a notebook (number, boolean or anything else). */
function numberFromValue(v: unknown, where: { position: number; id: string }): number {
  if (typeof v === "number") {
    if (Number.isNaN(v)) throw new ChallengeProblem("notANumber", `Prediction ${where.position} (id ${where.id}) is NaN`, where);
    if (!Number.isFinite(v)) throw new ChallengeProblem("notFinite", `Prediction ${where.position} (id ${where.id}) is ${v}, not a finite number`, { ...where, value: String(v) });
    return v;
  }
  if (typeof v === "boolean") return v ? 1 : 0;
  if (v === null || v === undefined) throw new ChallengeProblem("missingValue", `Prediction ${where.position} (id ${where.id}) is missing (${String(v)})`, where);
  // JSON cannot carry NaN or ±Infinity: the notebook sends them as these words.
  if (v === "NaN") throw new ChallengeProblem("notANumber", `Prediction ${where.position} (id ${where.id}) is NaN`, where);
  if (v === "Infinity" || v === "-Infinity") throw new ChallengeProblem("notFinite", `Prediction ${where.position} (id ${where.id}) is ${v}, not a finite number`, { ...where, value: v });
  if (typeof v === "string") throw new ChallengeProblem("text", `Prediction ${where.position} (id ${where.id}) is the text "${quote(v)}", not a number`, { ...where, value: quote(v) });
  throw new ChallengeProblem("text", `Prediction ${where.position} (id ${where.id}) is a ${Array.isArray(v) ? "list" : typeof v}, not a number`, { ...where, value: typeof v });
}

const isRowObject = (v: unknown): v is { id: unknown; prediction: unknown } =>
  typeof v === "object" && v !== null && !Array.isArray(v) && Object.prototype.hasOwnProperty.call(v, "id");

/**
 * Predictions sent as data: an array of numbers (one per test row, in the feature file's order) or
 * an array of `{ id, prediction }` objects (any order). Returns them in the order of `target.ids`.
 */
export function alignPredictions(values: readonly unknown[], target: PredictionTarget): Float64Array {
  if (values.length === 0) throw new ChallengeProblem("empty", "No predictions were sent");
  if (values.length > MAX_TEST_ROWS) throw new ChallengeProblem("wrongLength", `Expected ${target.ids.length} predictions, got ${values.length}`, { expected: target.ids.length, got: values.length, missing: "" });
  if (isRowObject(values[0])) {
    if (values.length !== target.ids.length) {
      throw new ChallengeProblem("wrongLength", `Expected ${target.ids.length} predictions, got ${values.length}`, { expected: target.ids.length, got: values.length, missing: "" });
    }
    const place = placeRows(target);
    for (let i = 0; i < values.length; i++) {
      const row = values[i];
      if (!isRowObject(row)) throw new ChallengeProblem("badRow", `Row ${i + 1} is not an { id, prediction } object`, { line: i + 1 });
      const rawId = row.id;
      if (typeof rawId !== "string" && typeof rawId !== "number") {
        throw new ChallengeProblem("badRow", `Row ${i + 1}: id must be a number or a string`, { line: i + 1 });
      }
      const id = canonicalId(rawId);
      const value = numberFromValue(row.prediction, { position: i + 1, id: quote(rawId) });
      place.put(id, value, i + 1, String(rawId));
    }
    return place.finish(values.length);
  }
  if (values.length !== target.ids.length) {
    throw new ChallengeProblem("wrongLength", `Expected ${target.ids.length} predictions, got ${values.length}`, { expected: target.ids.length, got: values.length, missing: "" });
  }
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (isRowObject(v)) throw new ChallengeProblem("badRow", `Row ${i + 1} is an object: send only numbers, or only { id, prediction } rows`, { line: i + 1 });
    out[i] = numberFromValue(v, { position: i + 1, id: quote(target.ids[i]) });
  }
  return out;
}
