// Grading of function and value exercises (issue 12, point 2): the student's code runs in the
// sandbox pool, what it produced comes back as JSON text, and the comparison with the hidden
// expectations happens here, on the host, on plain data. The expected values never enter the
// sandbox; the hidden arguments do (the function needs them) but never come back in a grade.
// Lesson format, UI and storage build on these two functions.
import { comparePlain, parseCopiedValue, type Tolerance } from "./compare";
import type { SandboxJob, SandboxLimit, SandboxResult } from "./sandbox/protocol";

/** What grading needs from the pool (lib/grading/sandbox/pool.ts); a fake in no test. */
export interface SandboxRunner {
  run: (job: SandboxJob) => Promise<SandboxResult>;
}

export interface HiddenCase {
  /** Shown to the student ("empty predictions", "all positives"). */
  name: string;
  args: unknown[];
  expected: unknown;
  tolerance?: Tolerance;
}

export interface FunctionExercise {
  functionName: string;
  cases: HiddenCase[];
  tolerance?: Tolerance;
}

export interface ExpectedValue {
  name: string;
  expected: unknown;
  tolerance?: Tolerance;
}

export interface ValueExercise {
  values: ExpectedValue[];
  tolerance?: Tolerance;
}

/** Why a case failed, by kind only: a message could quote hidden arguments or expectations. */
export type CaseVerdict = "passed" | "wrong" | "threw" | "not-plain-data" | "limit" | "missing" | "not-run";

export interface CaseGrade {
  name: string;
  passed: boolean;
  verdict: CaseVerdict;
}

export interface Grade {
  /** "graded": every case was judged; "error": the code failed before any case; "limit"/"busy": see message. */
  status: "graded" | "error" | "limit" | "busy";
  limit?: SandboxLimit;
  /** Safe for the student: the sandbox's own message (their syntax error, a limit), never a hidden value. */
  message: string;
  passed: number;
  total: number;
  /** passed / total, 0…1. */
  score: number;
  cases: CaseGrade[];
}

/**
 * For the instructor's eyes only (or a log): the raw sandbox result, with the student's console
 * output and exception messages, which may quote the hidden arguments.
 */
export interface GradeWithDetail {
  grade: Grade;
  detail: SandboxResult;
}

function judge(
  names: string[],
  expectations: { expected: unknown; tolerance: Tolerance | undefined }[],
  result: SandboxResult,
): Grade {
  const total = names.length;
  if (result.status !== "ok") {
    const cases = names.map((name) => ({ name, passed: false, verdict: "not-run" as const }));
    return {
      status: result.status === "error" ? "error" : result.status,
      ...(result.limit ? { limit: result.limit } : {}),
      message: result.message,
      passed: 0,
      total,
      score: 0,
      cases,
    };
  }
  // Outputs come back in the order of the cases (a name may repeat; the index is the identity).
  const cases: CaseGrade[] = names.map((name, i) => {
    const output = result.outputs[i];
    const want = expectations[i]!;
    if (!output || output.name !== name) return { name, passed: false, verdict: "not-run" };
    if (output.json === undefined) {
      const verdict: CaseVerdict =
        output.errorKind === "threw" ? "threw" : output.errorKind === "missing" ? "missing" : output.errorKind === "limit" ? "limit" : "not-plain-data";
      return { name, passed: false, verdict };
    }
    const parsed = parseCopiedValue(output.json);
    if (!parsed.ok) return { name, passed: false, verdict: "not-plain-data" };
    const same = comparePlain(parsed.value, want.expected, want.tolerance);
    return { name, passed: same.equal, verdict: same.equal ? "passed" : "wrong" };
  });
  const passed = cases.filter((c) => c.passed).length;
  return { status: "graded", message: `${passed} of ${total} passed`, passed, total, score: total ? passed / total : 0, cases };
}

/** Runs the student's `functionName` on every hidden case and reports which named cases passed. */
export async function gradeFunctionExercise(runner: SandboxRunner, source: string, exercise: FunctionExercise): Promise<GradeWithDetail> {
  const detail = await runner.run({
    kind: "function",
    source,
    functionName: exercise.functionName,
    cases: exercise.cases.map((c) => ({ name: c.name, args: c.args })),
  });
  const expectations = exercise.cases.map((c) => ({ expected: c.expected, tolerance: c.tolerance ?? exercise.tolerance }));
  return { grade: judge(exercise.cases.map((c) => c.name), expectations, detail), detail };
}

/** Runs the student's cell and compares its named top-level values with the reference's. */
export async function gradeValueExercise(runner: SandboxRunner, source: string, exercise: ValueExercise): Promise<GradeWithDetail> {
  const detail = await runner.run({ kind: "values", source, names: exercise.values.map((v) => v.name) });
  const expectations = exercise.values.map((v) => ({ expected: v.expected, tolerance: v.tolerance ?? exercise.tolerance }));
  return { grade: judge(exercise.values.map((v) => v.name), expectations, detail), detail };
}

/**
 * The expected values of a function exercise, from the reference solution run through the same
 * sandbox (so the student's code and the reference see the same engine and the same `ml`).
 */
export async function referenceCases(
  runner: SandboxRunner,
  referenceSource: string,
  functionName: string,
  cases: { name: string; args: unknown[] }[],
): Promise<HiddenCase[]> {
  const result = await runner.run({ kind: "function", source: referenceSource, functionName, cases });
  if (result.status !== "ok") throw new Error(`The reference solution did not run: ${result.message}`);
  return cases.map((c, i) => {
    const output = result.outputs[i];
    const parsed = output?.json !== undefined ? parseCopiedValue(output.json) : { ok: false as const };
    if (!parsed.ok) throw new Error(`The reference solution failed case "${c.name}": ${output?.error ?? "no value"}`);
    return { name: c.name, args: c.args, expected: parsed.value };
  });
}
