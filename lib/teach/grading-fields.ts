// An exercise's grading fields in author mode (issue 15 point 2): how the server grades it — not
// at all (the browser check only), a function exercise (its function's name) or a value exercise
// (the names compared) — and the tolerance, as the grading work defines them
// (lib/grading/exercise-spec.ts; content/lessons/README.md, "Hidden tests"). They live where a
// lesson file keeps them, the header lines of the exercise's `--- tests` section, so the draft, an
// export and its import carry them with nothing new in the format. Kind, target and tolerance
// are the same in both languages (`setExerciseGrading` writes both); the rest of the section
// (cases, comments, setup) is per language, since case names are translated.
import { ExerciseSpecError, parseTestsSection } from "@/lib/grading/exercise-spec";
import { updateCell } from "@/lib/notebook/document";
import type { ExerciseCell } from "@/lib/notebook/types";
import { bundleLocales, type LessonBundle } from "./bundle";

/** "browser": no `--- tests` section, the exercise is checked in the browser only. */
export type GradingKind = "browser" | "function" | "value";

export interface GradingTolerance {
  /** Text of a number ≥ 0, or "" (not set). */
  abs: string;
  rel: string;
}

export interface GradingFields {
  kind: GradingKind;
  /** A section without its `function`/`values` line yet (an unfinished draft). */
  kindMissing: boolean;
  /** The function's name (function) or the value names, comma separated (value). */
  target: string;
  tolerance: GradingTolerance;
  /** Every other line of the section: cases, comments, `setup` and its code. */
  body: string;
}

export const NO_TOLERANCE: GradingTolerance = { abs: "", rel: "" };

const TOLERANCE_NUMBER = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?$/i;

/** The tolerance line's text (after `tolerance`) as abs/rel, or null when it does not parse. */
function readTolerance(text: string): GradingTolerance | null {
  const parts = text.trim().split(/\s+/);
  if (parts.length === 1 && TOLERANCE_NUMBER.test(parts[0]!)) return toleranceProblem(parts[0]!) ? null : { abs: parts[0]!, rel: parts[0]! };
  const out: GradingTolerance = { abs: "", rel: "" };
  for (const part of parts) {
    const m = /^(abs|rel)=(.*)$/.exec(part);
    if (!m || toleranceProblem(m[2]!) || !m[2]) return null;
    out[m[1] as "abs" | "rel"] = m[2]!;
  }
  return out;
}

/** Reads an exercise's `tests` section (undefined: none) into its fields. */
export function readGradingFields(tests: string | undefined): GradingFields {
  if (tests === undefined) return { kind: "browser", kindMissing: false, target: "", tolerance: NO_TOLERANCE, body: "" };
  const lines = tests.split("\n");
  const body: string[] = [];
  let kind: GradingKind | null = null;
  let target = "";
  let tolerance: GradingTolerance | null = null;
  let i = 0;
  for (; i < lines.length; i++) {
    const line = lines[i]!.trim();
    const space = line.search(/\s/);
    const word = space < 0 ? line : line.slice(0, space);
    const rest = space < 0 ? "" : line.slice(space + 1).trim();
    if (word === "setup") break;
    if (kind === null && (word === "function" || word === "values")) {
      kind = word === "function" ? "function" : "value";
      target = rest;
    } else if (tolerance === null && word === "tolerance" && readTolerance(rest)) {
      tolerance = readTolerance(rest);
    } else {
      // Anything else (and a line that does not parse) stays where the lesson check will see it.
      body.push(lines[i]!);
    }
  }
  body.push(...lines.slice(i));
  while (body.length && body[0]!.trim() === "") body.shift();
  return { kind: kind ?? "function", kindMissing: kind === null, target, tolerance: tolerance ?? NO_TOLERANCE, body: body.join("\n") };
}

/** The `tolerance` line for these fields, or null (numbers must then be equal). */
export function toleranceLine(t: GradingTolerance): string | null {
  const abs = t.abs.trim();
  const rel = t.rel.trim();
  if (!abs && !rel) return null;
  if (abs && abs === rel) return `tolerance ${abs}`;
  return `tolerance ${[abs && `abs=${abs}`, rel && `rel=${rel}`].filter(Boolean).join(" ")}`;
}

/** The `tests` section for these fields (undefined for an exercise graded in the browser only). */
export function writeGradingFields(f: Omit<GradingFields, "kindMissing"> & { kindMissing?: boolean }): string | undefined {
  if (f.kind === "browser") return undefined;
  const lines: string[] = [];
  if (!f.kindMissing) lines.push(`${f.kind === "function" ? "function" : "values"} ${f.target.trim()}`.trimEnd());
  const tol = toleranceLine(f.tolerance);
  if (tol) lines.push(tol);
  if (f.body !== "") lines.push(f.body);
  return lines.join("\n");
}

/** Why a field's value is refused: a key under teach.editor.grading.problems. */
export type GradingProblem = "toleranceNotNumber" | "functionName" | "valueNames";

function specRefuses(section: string): boolean {
  try {
    parseTestsSection(section);
    return false;
  } catch (e) {
    if (e instanceof ExerciseSpecError) return true;
    throw e;
  }
}

/** A tolerance (abs or rel) as the grading reads it: a number ≥ 0; "" means not set. */
export function toleranceProblem(text: string): GradingProblem | null {
  const v = text.trim();
  if (v === "") return null;
  if (!TOLERANCE_NUMBER.test(v) || !Number.isFinite(Number(v)) || specRefuses(`values x\ntolerance abs=${v}`)) return "toleranceNotNumber";
  return null;
}

/** The function name or the value names, as the grading reads them; "" (not written yet) passes. */
export function targetProblem(kind: GradingKind, target: string): GradingProblem | null {
  const v = target.trim();
  if (v === "" || kind === "browser") return null;
  if (kind === "function") return specRefuses(`function ${v}\ncase "c": 1`) ? "functionName" : null;
  return /\n/.test(v) || specRefuses(`values ${v}`) ? "valueNames" : null;
}

/** The first refused value among an exercise's grading fields (read from its `tests`), or null. */
export function gradingProblem(tests: string | undefined): { problem: GradingProblem; value: string } | null {
  if (tests === undefined) return null;
  const lines = tests.split("\n");
  for (const raw of lines) {
    const line = raw.trim();
    const space = line.search(/\s/);
    const word = space < 0 ? line : line.slice(0, space);
    const rest = space < 0 ? "" : line.slice(space + 1).trim();
    if (word === "setup") break;
    if (word === "tolerance" && !readTolerance(rest)) return { problem: "toleranceNotNumber", value: rest.slice(0, 60) };
    if (word === "function" && targetProblem("function", rest)) return { problem: "functionName", value: rest.slice(0, 60) };
    if (word === "values" && targetProblem("value", rest)) return { problem: "valueNames", value: rest.slice(0, 60) };
  }
  return null;
}

export interface GradingChange {
  kind?: GradingKind;
  target?: string;
  tolerance?: GradingTolerance;
}

/**
 * Sets an exercise's grading kind, target or tolerance in every language at once (they are the
 * same in both), keeping each language's cases and setup. Refused values throw a RangeError (the
 * editor checks them first). No translation mark changes: both languages get the same edit.
 */
export function setExerciseGrading(bundle: LessonBundle, id: string, change: GradingChange): LessonBundle {
  if (change.tolerance) for (const v of [change.tolerance.abs, change.tolerance.rel]) if (toleranceProblem(v)) throw new RangeError(`tolerance "${v}" is not a number ≥ 0`);
  const docs: LessonBundle["docs"] = { ...bundle.docs };
  let changed = false;
  for (const l of bundleLocales(bundle)) {
    const doc = bundle.docs[l]!;
    const cell = doc.cells.find((c) => c.id === id);
    if (!cell || cell.kind !== "exercise") throw new RangeError(`no exercise "${id}"`);
    const f = readGradingFields(cell.tests);
    const kind = change.kind ?? f.kind;
    // A new kind keeps the target where it still reads (a value name is a function name too).
    const target = change.target ?? (change.kind && targetProblem(kind, f.target) ? "" : f.target);
    if (targetProblem(kind, target)) throw new RangeError(`"${target}" is not a valid ${kind === "function" ? "function name" : "list of names"}`);
    const tests = writeGradingFields({
      kind,
      kindMissing: f.kindMissing && change.kind === undefined && change.target === undefined,
      target,
      tolerance: change.tolerance ?? f.tolerance,
      body: f.body,
    });
    if (tests === cell.tests) continue;
    changed = true;
    const next = updateCell<ExerciseCell>(doc, id, { tests });
    // An exercise graded in the browser only has no `tests` key at all (as read from a file).
    docs[l] = tests === undefined ? { ...next, cells: next.cells.map((c) => (c.id === id && c.kind === "exercise" ? withoutTests(c) : c)) } : next;
  }
  return changed ? { ...bundle, docs } : bundle;
}

function withoutTests(cell: ExerciseCell): ExerciseCell {
  const { tests: _t, ...rest } = cell;
  return rest;
}
