// The hidden `--- tests` section of a lesson exercise (issue 12, point 1), parsed into what the
// server grades with. Pure: no I/O. The section never reaches a browser (lib/notebook/hidden.ts
// takes it out of every document the server sends).
//
// A function exercise — the student writes a named function, the server calls it on hidden
// cases and names the cases that passed:
//
//   --- tests
//   function recall
//   tolerance 1e-9
//   case "todos encontrados": [1, 0, 1], [1, 0, 1]
//   case "ninguno encontrado": [1, 1, 0], [0, 0, 0]
//
// A value exercise — the student's cell runs on the server after a hidden `setup` (which stands
// in for the variables earlier cells made, with data the student never saw), and its named
// top-level values are compared with the reference solution's under the same setup:
//
//   --- tests
//   values threshold, cost
//   tolerance abs=0.001 rel=0
//   setup
//   const yTest = [0, 1, 0, 1];
//   const scores = [0.1, 0.8, 0.3, 0.6];
//
// Expected values are never written in the section: they come from running the exercise's
// `--- solution` through the same sandbox (lib/grading/exercises.ts `referenceCases`), so a
// reference solution and its tests cannot disagree.
import type { Tolerance } from "./compare";
import { SANDBOX_NAME } from "./sandbox/protocol";

export interface HiddenCaseSpec {
  /** Shown to the student. */
  name: string;
  /** Plain JSON arguments; hidden. */
  args: unknown[];
}

export type ExerciseSpec =
  | { kind: "function"; functionName: string; cases: HiddenCaseSpec[]; tolerance?: Tolerance; setup: string }
  | { kind: "value"; names: string[]; tolerance?: Tolerance; setup: string };

export class ExerciseSpecError extends Error {
  /** 0-based line inside the section. */
  readonly line: number;
  constructor(line: number, message: string) {
    super(message);
    this.name = "ExerciseSpecError";
    this.line = line;
  }
}

/** Bounds, so a lesson written in the app (issue 15) cannot make grading unbounded. */
export const SPEC_LIMITS = { cases: 50, values: 20, argsChars: 200_000, setupChars: 400_000, nameChars: 80 };

const NUMBER = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?$/i;

function parseTolerance(text: string, line: number): Tolerance {
  const parts = text.trim().split(/\s+/);
  if (parts.length === 1 && NUMBER.test(parts[0]!)) {
    const v = Number(parts[0]);
    if (!(v >= 0)) throw new ExerciseSpecError(line, "a tolerance must be a number ≥ 0");
    return { abs: v, rel: v };
  }
  const tolerance: Tolerance = {};
  for (const part of parts) {
    const eq = part.indexOf("=");
    const key = part.slice(0, eq);
    const value = part.slice(eq + 1);
    if (eq < 0 || (key !== "abs" && key !== "rel") || !NUMBER.test(value) || !(Number(value) >= 0)) {
      throw new ExerciseSpecError(line, `a tolerance is one number or "abs=<n> rel=<n>", not "${text.trim().slice(0, 60)}"`);
    }
    tolerance[key] = Number(value);
  }
  return tolerance;
}

/** `"name": <json>, <json>` → the name and the argument list (the rest parsed as a JSON array). */
function parseCase(rest: string, line: number): HiddenCaseSpec {
  const text = rest.trim();
  if (!text.startsWith('"')) throw new ExerciseSpecError(line, 'a case is written `case "name": arg1, arg2`');
  // The name is a JSON string: find its closing quote (skipping escapes), linear.
  let end = 1;
  while (end < text.length && text[end] !== '"') end += text[end] === "\\" ? 2 : 1;
  if (end >= text.length) throw new ExerciseSpecError(line, "a case name needs its closing quote");
  let name: string;
  try {
    name = JSON.parse(text.slice(0, end + 1)) as string;
  } catch {
    throw new ExerciseSpecError(line, "a case name must be a JSON string");
  }
  if (!name.trim() || name.length > SPEC_LIMITS.nameChars) throw new ExerciseSpecError(line, `a case name must be 1–${SPEC_LIMITS.nameChars} characters`);
  const after = text.slice(end + 1).trimStart();
  if (!after.startsWith(":")) throw new ExerciseSpecError(line, `case "${name}" needs a ":" before its arguments`);
  const argsText = after.slice(1).trim();
  let args: unknown;
  try {
    args = JSON.parse(`[${argsText}]`);
  } catch {
    throw new ExerciseSpecError(line, `the arguments of case "${name}" must be JSON values separated by commas`);
  }
  return { name, args: args as unknown[] };
}

/** Parses the body of a `--- tests` section. Throws `ExerciseSpecError` with a clear message. */
export function parseTestsSection(body: string): ExerciseSpec {
  const lines = body.split("\n");
  let functionName: string | null = null;
  let names: string[] | null = null;
  let tolerance: Tolerance | undefined;
  const cases: HiddenCaseSpec[] = [];
  let setup = "";
  let argsChars = 0;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    const line = raw.trim();
    if (!line || line.startsWith("#")) continue;
    const space = line.search(/\s/);
    const word = space < 0 ? line : line.slice(0, space);
    const rest = space < 0 ? "" : line.slice(space + 1);
    if (word === "setup") {
      if (rest.trim()) throw new ExerciseSpecError(i, '"setup" stands alone on its line; the code follows on the next lines');
      setup = lines.slice(i + 1).join("\n");
      if (setup.length > SPEC_LIMITS.setupChars) throw new ExerciseSpecError(i, `the setup is longer than ${SPEC_LIMITS.setupChars} characters`);
      break;
    }
    if (word === "function") {
      if (functionName !== null || names !== null) throw new ExerciseSpecError(i, 'a tests section has one "function" or one "values" line');
      functionName = rest.trim();
      if (!SANDBOX_NAME.test(functionName)) throw new ExerciseSpecError(i, `"${functionName.slice(0, 60)}" is not a function name`);
    } else if (word === "values") {
      if (functionName !== null || names !== null) throw new ExerciseSpecError(i, 'a tests section has one "function" or one "values" line');
      names = rest.split(",").map((n) => n.trim()).filter(Boolean);
      if (!names.length) throw new ExerciseSpecError(i, '"values" lists the names to compare, e.g. "values threshold, cost"');
      if (names.length > SPEC_LIMITS.values) throw new ExerciseSpecError(i, `at most ${SPEC_LIMITS.values} values`);
      for (const n of names) if (!SANDBOX_NAME.test(n)) throw new ExerciseSpecError(i, `"${n.slice(0, 60)}" is not a variable name`);
      if (new Set(names).size !== names.length) throw new ExerciseSpecError(i, "a value is listed twice");
    } else if (word === "tolerance") {
      if (tolerance) throw new ExerciseSpecError(i, "one tolerance line per section");
      tolerance = parseTolerance(rest, i);
    } else if (word === "case") {
      const c = parseCase(rest, i);
      argsChars += rest.length;
      if (argsChars > SPEC_LIMITS.argsChars) throw new ExerciseSpecError(i, `the cases' arguments exceed ${SPEC_LIMITS.argsChars} characters`);
      if (cases.some((other) => other.name === c.name)) throw new ExerciseSpecError(i, `two cases are named "${c.name}"`);
      cases.push(c);
      if (cases.length > SPEC_LIMITS.cases) throw new ExerciseSpecError(i, `at most ${SPEC_LIMITS.cases} cases`);
    } else {
      throw new ExerciseSpecError(i, `unknown line "${word.slice(0, 40)}" (expected function, values, tolerance, case or setup)`);
    }
  }
  if (functionName !== null) {
    if (!cases.length) throw new ExerciseSpecError(0, `function "${functionName}" needs at least one case`);
    return { kind: "function", functionName, cases, ...(tolerance ? { tolerance } : {}), setup };
  }
  if (names !== null) {
    if (cases.length) throw new ExerciseSpecError(0, "a values section has no cases (its values are compared with the solution's)");
    return { kind: "value", names, ...(tolerance ? { tolerance } : {}), setup };
  }
  throw new ExerciseSpecError(0, 'a tests section starts with "function <name>" or "values <name>, <name>"');
}
