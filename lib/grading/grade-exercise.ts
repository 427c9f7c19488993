// From a lesson exercise's hidden spec and reference solution to a student's grade (issue 12,
// point 2). The reference runs once through the sandbox to give the expected values
// (`prepareExercise`); every submission then runs through the same sandbox and is judged on the
// host (`gradeExercise`). Cells are TypeScript: types are stripped here, on the host, with
// sucrase (no evaluation), and a syntax error is reported with the student's own line number.
import { parse as parseAst } from "acorn";
import { transform } from "sucrase";
import { parseCopiedValue, type Tolerance } from "./compare";
import type { ExerciseSpec } from "./exercise-spec";
import { MAX_SUBMISSION_CHARS } from "./submission-view";
import { gradeFunctionExercise, gradeValueExercise, referenceCases, type GradeWithDetail, type HiddenCase, type SandboxRunner } from "./exercises";

/** The largest cell a student may submit (characters); defined with the grade's view, which the browser imports. */
export { MAX_SUBMISSION_CHARS } from "./submission-view";

export type PreparedExercise =
  | { kind: "function"; functionName: string; setup: string; cases: HiddenCase[]; tolerance?: Tolerance }
  | { kind: "value"; setup: string; values: { name: string; expected: unknown }[]; tolerance?: Tolerance };

export type Transpiled = { ok: true; js: string } | { ok: false; message: string };

/** TypeScript → JavaScript for the sandbox; a syntax error names the student's line. */
export function toJavaScript(source: string): Transpiled {
  if (source.length > MAX_SUBMISSION_CHARS) return { ok: false, message: `The code is longer than ${MAX_SUBMISSION_CHARS / 1024} KB.` };
  let js: string;
  try {
    js = transform(source, { transforms: ["typescript"], disableESTransforms: true, preserveDynamicImport: true }).code;
  } catch (e) {
    const loc = (e as { loc?: { line?: number } }).loc;
    const text = e instanceof Error ? e.message.replace(/\s*\(\d+:\d+\)\s*$/, "") : "syntax error";
    return { ok: false, message: `SyntaxError: ${text.slice(0, 200)}${loc?.line ? ` (line ${loc.line})` : ""}` };
  }
  // sucrase is lenient about some JavaScript it does not need to understand; acorn is not.
  try {
    parseAst(js, { ecmaVersion: "latest", sourceType: "script", allowAwaitOutsideFunction: true });
  } catch (e) {
    const loc = (e as { loc?: { line?: number } }).loc;
    const text = e instanceof Error ? e.message.replace(/\s*\(\d+:\d+\)\s*$/, "") : "syntax error";
    return { ok: false, message: `SyntaxError: ${text.slice(0, 200)}${loc?.line ? ` (line ${loc.line})` : ""}` };
  }
  return { ok: true, js };
}

/** The script the sandbox runs: the hidden setup (if any), then the student's code. */
function script(setup: string, js: string): string {
  return setup ? `${setup}\n;\n${js}` : js;
}

/**
 * Runs the reference solution to get the expected values. Throws when the reference does not run
 * or does not produce every value (a lesson defect: tests/integration catch it for every lesson).
 */
export async function prepareExercise(runner: SandboxRunner, spec: ExerciseSpec, solution: string): Promise<PreparedExercise> {
  const t = toJavaScript(solution);
  if (!t.ok) throw new Error(`The reference solution does not compile: ${t.message}`);
  if (spec.kind === "function") {
    const cases = await referenceCases(runner, script(spec.setup, t.js), spec.functionName, spec.cases);
    return { kind: "function", functionName: spec.functionName, setup: spec.setup, cases, ...(spec.tolerance ? { tolerance: spec.tolerance } : {}) };
  }
  const result = await runner.run({ kind: "values", source: script(spec.setup, t.js), names: spec.names });
  if (result.status !== "ok") throw new Error(`The reference solution did not run: ${result.message}`);
  const values = spec.names.map((name, i) => {
    const output = result.outputs[i];
    const parsed = output?.json !== undefined ? parseCopiedValue(output.json) : { ok: false as const };
    if (!parsed.ok) throw new Error(`The reference solution does not produce "${name}": ${output?.error ?? "no value"}`);
    return { name, expected: parsed.value };
  });
  return { kind: "value", setup: spec.setup, values, ...(spec.tolerance ? { tolerance: spec.tolerance } : {}) };
}

/**
 * Grades a student's cell. When the exercise has a hidden setup, an exception at the top level
 * is reported by its kind only (its message could quote the hidden data the setup made).
 */
export async function gradeExercise(runner: SandboxRunner, prepared: PreparedExercise, studentSource: string): Promise<GradeWithDetail> {
  const names = prepared.kind === "function" ? prepared.cases.map((c) => c.name) : prepared.values.map((v) => v.name);
  const t = toJavaScript(studentSource);
  if (!t.ok) {
    return {
      grade: { status: "error", message: t.message, passed: 0, total: names.length, score: 0, cases: names.map((name) => ({ name, passed: false, verdict: "not-run" })) },
      detail: { status: "error", message: t.message, outputs: [], logs: "", cpuMs: 0 },
    };
  }
  const source = script(prepared.setup, t.js);
  const graded =
    prepared.kind === "function"
      ? await gradeFunctionExercise(runner, source, { functionName: prepared.functionName, cases: prepared.cases, ...(prepared.tolerance ? { tolerance: prepared.tolerance } : {}) })
      : await gradeValueExercise(runner, source, { values: prepared.values, ...(prepared.tolerance ? { tolerance: prepared.tolerance } : {}) });
  if (prepared.setup && graded.grade.status === "error") graded.grade = { ...graded.grade, message: withoutHiddenText(graded.grade.message, prepared) };
  return graded;
}

/**
 * A top-level error message safe to show when a hidden setup ran before the student's code: an
 * exception keeps its kind only (its text could quote the setup's data); the sandbox's own
 * sentences about the function keep what they say of it, never what a student-made getter threw.
 */
function withoutHiddenText(message: string, prepared: PreparedExercise): string {
  const fn = prepared.kind === "function" ? prepared.functionName : null;
  if (fn && message.startsWith(`No function named ${fn}:`)) return `No function named ${fn} (define function ${fn}(...) { ... })`;
  if (fn && message === `${fn} is not a function (define function ${fn}(...) { ... })`) return message;
  const kind = /^Your code failed before grading: ([A-Za-z]*Error)\b/.exec(message)?.[1] ?? "an exception";
  return `Your code failed before grading: ${kind} (run the cell in the notebook to see the full message)`;
}

/** A lesson's grading policy (meta.json `grading`); defaults: hints are free, a revealed solution scores 0. */
export interface GradingPolicy {
  /** Each hint taken lowers the highest reachable score by this much (0…1). */
  hintCost: number;
  /** The highest score after the solution was revealed (0…1). */
  revealedCap: number;
}

export const DEFAULT_GRADING_POLICY: GradingPolicy = { hintCost: 0, revealedCap: 0 };

/** The score after the policy: the raw score capped by hints taken and a reveal. */
export function capScore(raw: number, used: { hints: number; revealed: boolean }, policy: GradingPolicy = DEFAULT_GRADING_POLICY): number {
  let cap = Math.max(0, 1 - policy.hintCost * used.hints);
  if (used.revealed) cap = Math.min(cap, policy.revealedCap);
  return Math.max(0, Math.min(raw, cap));
}
