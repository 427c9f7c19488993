// A lesson exercise from its hidden spec to a grade, through the real sandbox pool: the reference
// solution gives the expected values, TypeScript is stripped on the host, a hidden setup never
// leaks through an error message, and the lesson's policy caps the score.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fileURLToPath } from "node:url";
import { createSandboxPool, type SandboxPool } from "@/lib/grading/sandbox/pool";
import { parseTestsSection, ExerciseSpecError } from "@/lib/grading/exercise-spec";
import { capScore, gradeExercise, prepareExercise, toJavaScript, DEFAULT_GRADING_POLICY } from "@/lib/grading/grade-exercise";

const root = fileURLToPath(new URL("../../..", import.meta.url));
let pool: SandboxPool;
beforeAll(() => {
  pool = createSandboxPool({ size: 2, root, limits: { wallMs: 15_000 } });
});
afterAll(async () => {
  await pool.close();
});

const RECALL_TESTS = `function recall
case "mixed": [1, 0, 1, 1, 0], [1, 0, 0, 1, 1]
case "all found": [1, 1, 0], [1, 1, 1]
case "none found": [1, 1, 0], [0, 0, 0]`;
const RECALL_SOLUTION = `function recall(yTrue: number[], yPred: number[]): number {
  let tp = 0, fn = 0;
  for (let i = 0; i < yTrue.length; i++) {
    if (yTrue[i] === 1 && yPred[i] === 1) tp++;
    else if (yTrue[i] === 1) fn++;
  }
  return tp + fn === 0 ? 0 : tp / (tp + fn);
}`;

describe("parseTestsSection", () => {
  it("reads a function section with named cases and a tolerance", () => {
    const spec = parseTestsSection(`function recall\ntolerance abs=0.01 rel=0\n${RECALL_TESTS.split("\n").slice(1).join("\n")}`);
    expect(spec).toEqual({
      kind: "function",
      functionName: "recall",
      tolerance: { abs: 0.01, rel: 0 },
      setup: "",
      cases: [
        { name: "mixed", args: [[1, 0, 1, 1, 0], [1, 0, 0, 1, 1]] },
        { name: "all found", args: [[1, 1, 0], [1, 1, 1]] },
        { name: "none found", args: [[1, 1, 0], [0, 0, 0]] },
      ],
    });
  });
  it("reads a values section with its setup code", () => {
    const spec = parseTestsSection("values threshold, cost\ntolerance 0.001\nsetup\nconst y = [1, 0];\nconst s = [0.9, 0.2];");
    expect(spec).toEqual({ kind: "value", names: ["threshold", "cost"], tolerance: { abs: 0.001, rel: 0.001 }, setup: "const y = [1, 0];\nconst s = [0.9, 0.2];" });
  });
  it.each([
    ["", /starts with "function/],
    ["function recall", /at least one case/],
    ["function 1x\ncase \"a\": 1", /not a function name/],
    ["function f\ncase a: 1", /case "name"/],
    ["function f\ncase \"a\": [1,", /JSON values/],
    ["function f\ncase \"a\": 1\ncase \"a\": 2", /two cases are named/],
    ["values a, a", /listed twice/],
    ["values a\ncase \"x\": 1", /no cases/],
    ["function f\nvalues a", /one "function" or one "values"/],
    ["function f\ntolerance -1\ncase \"a\": 1", /tolerance/],
    ["function f\nbogus line", /unknown line "bogus"/],
  ])("refuses %j with a clear message", (text, message) => {
    expect(() => parseTestsSection(text)).toThrow(ExerciseSpecError);
    expect(() => parseTestsSection(text)).toThrow(message);
  });
});

describe("toJavaScript", () => {
  it("strips types and keeps the code", () => {
    const t = toJavaScript("const x: number = 1;\nfunction f(a: string[]): number { return a.length; }");
    expect(t.ok && t.js).toContain("function f(a) { return a.length; }");
  });
  it("reports a syntax error with the student's line", () => {
    const t = toJavaScript("const a = 1;\nconst b = ;\n");
    expect(t.ok).toBe(false);
    expect(!t.ok && t.message).toMatch(/^SyntaxError: .*\(line 2\)$/);
  });
  it("refuses a cell over 64 KB", () => {
    const t = toJavaScript("//" + "x".repeat(70_000));
    expect(!t.ok && t.message).toMatch(/longer than 64 KB/);
  });
});

describe("prepareExercise and gradeExercise", () => {
  it("a function exercise: the reference gives the expectations, a wrong function fails by named case", async () => {
    const prepared = await prepareExercise(pool, parseTestsSection(RECALL_TESTS), RECALL_SOLUTION);
    expect(prepared.kind === "function" && prepared.cases.map((c) => c.expected)).toEqual([2 / 3, 1, 0]);
    const right = await gradeExercise(pool, prepared, RECALL_SOLUTION.replace("recall(", "recall ("));
    expect(right.grade).toMatchObject({ status: "graded", passed: 3, total: 3, score: 1 });
    const wrong = await gradeExercise(pool, prepared, "function recall(a: number[], b: number[]) { return 1; }");
    expect(wrong.grade.cases.map((c) => [c.name, c.passed])).toEqual([["mixed", false], ["all found", true], ["none found", false]]);
    const broken = await gradeExercise(pool, prepared, "function recall( {");
    expect(broken.grade).toMatchObject({ status: "error", score: 0 });
    expect(broken.grade.message).toMatch(/^SyntaxError/);
  });

  it("a value exercise runs after the hidden setup and is compared with the reference under the same setup", async () => {
    const spec = parseTestsSection("values positives, rate\ntolerance 1e-9\nsetup\nconst yTest = [1, 0, 0, 1, 1, 0, 0, 0];");
    const prepared = await prepareExercise(pool, spec, "const positives = yTest.filter((y) => y === 1).length;\nconst rate = positives / yTest.length;");
    expect(prepared.kind === "value" && prepared.values).toEqual([{ name: "positives", expected: 3 }, { name: "rate", expected: 3 / 8 }]);
    // A number copied from the browser (where the data differed) does not pass: the code is rerun.
    const hardCoded = await gradeExercise(pool, prepared, "const positives = 200;\nconst rate = 0.01;");
    expect(hardCoded.grade).toMatchObject({ status: "graded", passed: 0 });
    const computed = await gradeExercise(pool, prepared, "let positives = 0;\nfor (const y of yTest) if (y === 1) positives++;\nconst rate: number = positives / yTest.length;");
    expect(computed.grade).toMatchObject({ status: "graded", passed: 2, score: 1 });
  });

  it("an exception at the top level of a cell with a hidden setup says its kind, not its message", async () => {
    const spec = parseTestsSection("values n\nsetup\nconst secretLabels = [7, 7, 7, 4242];");
    const prepared = await prepareExercise(pool, spec, "const n = secretLabels.length;");
    const leak = await gradeExercise(pool, prepared, "throw new TypeError('leak ' + JSON.stringify(secretLabels));");
    expect(leak.grade.status).toBe("error");
    expect(leak.grade.message).toMatch(/TypeError/);
    expect(leak.grade.message).not.toContain("4242");
    expect(leak.detail.message).toContain("4242"); // the instructor's detail keeps it
  });

  it("with a hidden setup, a missing function is named, but what a student's getter threw is not shown", async () => {
    const spec = parseTestsSection('function count\ncase "one": 1\nsetup\nconst secretRows = [4242, 4343];');
    const prepared = await prepareExercise(pool, spec, "function count(n: number) { return secretRows.length + n; }");
    const missing = await gradeExercise(pool, prepared, "const other = 1;");
    expect(missing.grade).toMatchObject({ status: "error", message: "No function named count (define function count(...) { ... })" });
    const getter = await gradeExercise(pool, prepared, "Object.defineProperty(globalThis, 'count', { get() { throw new Error('leak ' + secretRows.join()); } });");
    expect(getter.grade.status).toBe("error");
    expect(getter.grade.message).not.toContain("4242");
    const notFunction = await gradeExercise(pool, prepared, "const count = 3;");
    expect(notFunction.grade.message).toBe("count is not a function (define function count(...) { ... })");
  });

  it("a reference that does not run is a lesson defect, thrown", async () => {
    await expect(prepareExercise(pool, parseTestsSection("values x"), "const y = 1;")).rejects.toThrow(/does not produce "x"/);
  });
});

describe("capScore", () => {
  it("by default hints are free and a reveal caps the score at 0", () => {
    expect(capScore(1, { hints: 2, revealed: false })).toBe(1);
    expect(capScore(1, { hints: 0, revealed: true })).toBe(0);
  });
  it("a lesson policy can charge for hints and let a reveal keep half", () => {
    const policy = { ...DEFAULT_GRADING_POLICY, hintCost: 0.1, revealedCap: 0.5 };
    expect(capScore(1, { hints: 2, revealed: false }, policy)).toBeCloseTo(0.8);
    expect(capScore(0.6, { hints: 2, revealed: true }, policy)).toBe(0.5);
    expect(capScore(0.3, { hints: 20, revealed: false }, policy)).toBe(0);
  });
});
