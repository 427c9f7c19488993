// Every lesson is graded (issue 12, point 7): each of the course's lessons has at least two
// server-graded exercises (a `--- tests` section), one of them a function exercise; through the
// real sandbox pool, every reference solution passes its hidden tests and every starter fails
// them; Spanish and English grade the same exercises with the same arguments and the same
// expected values; and the hidden section lives only inside exercises, never in prose or in the
// document a browser gets.
import { parse as parseAst } from "acorn";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSandboxPool, type SandboxPool } from "@/lib/grading/sandbox/pool";
import { parseTestsSection, type ExerciseSpec } from "@/lib/grading/exercise-spec";
import { gradeExercise, prepareExercise, toJavaScript, type PreparedExercise } from "@/lib/grading/grade-exercise";
import { analyzeTypeScript } from "@/lib/notebook/dependencies";
import { parseLessonMarkdown } from "@/lib/notebook/lesson-markdown";
import { publicLessonDocument } from "@/lib/notebook/hidden";
import type { ExerciseCell, NotebookDocument } from "@/lib/notebook/types";

const root = fileURLToPath(new URL("../../..", import.meta.url));
const lessonsDir = join(root, "content", "lessons");
const slugs = readdirSync(lessonsDir).filter((d) => statSync(join(lessonsDir, d)).isDirectory()).sort();
const locales = ["es", "en"] as const;
type Locale = (typeof locales)[number];

const docs = new Map<string, NotebookDocument>();
function lessonDoc(slug: string, locale: Locale): NotebookDocument {
  const key = `${slug}/${locale}`;
  if (!docs.has(key)) docs.set(key, parseLessonMarkdown(readFileSync(join(lessonsDir, slug, `${locale}.md`), "utf8")));
  return docs.get(key)!;
}

interface GradedExercise {
  cell: ExerciseCell;
  spec: ExerciseSpec;
}
function gradedExercises(slug: string, locale: Locale): GradedExercise[] {
  return lessonDoc(slug, locale)
    .cells.filter((c): c is ExerciseCell => c.kind === "exercise" && c.tests !== undefined)
    .map((cell) => ({ cell, spec: parseTestsSection(cell.tests!) }));
}

let pool: SandboxPool;
beforeAll(() => {
  // The real limits, except a wall-clock backstop that tolerates a loaded 2-core CI machine
  // (the 2 s CPU limit, measured in the child, still applies).
  pool = createSandboxPool({ size: 2, root, limits: { wallMs: 15_000 } });
});
afterAll(async () => {
  await pool.close();
});

// One preparation per exercise and locale, shared by the grading and the parity tests.
const prepared = new Map<string, Promise<PreparedExercise>>();
function prepare(slug: string, locale: Locale, ex: GradedExercise): Promise<PreparedExercise> {
  const key = `${slug}/${locale}/${ex.cell.id}`;
  if (!prepared.has(key)) prepared.set(key, prepareExercise(pool, ex.spec, ex.cell.solution));
  return prepared.get(key)!;
}

/** Uses a kernel global the sandbox does not have (TensorFlow.js, outputs, datasets, SQL, tracking) or awaits. */
const BROWSER_ONLY = /(^|[^.\w$])(tf|show|sql|track|data)\s*[.(`]|\bawait\b/;

/**
 * The part of an exercise's browser `--- check` that can run in the sandbox beside the hidden
 * setup: its top-level statements whose free names the setup, the solution or earlier kept
 * statements define (statements reading the notebook's own variables, or tf, are left to the
 * browser). Run after a reference solution, it checks the solution against the lesson author's
 * visible expectations, independently of the hidden tests (whose expectations the solution makes).
 */
function portableCheck(cell: ExerciseCell, spec: ExerciseSpec): { source: string; checks: number } {
  const js = toJavaScript(cell.check);
  if (!js.ok) throw new Error(`${cell.id}: the check does not compile: ${js.message}`);
  const program = parseAst(js.js, { ecmaVersion: "latest", sourceType: "script", allowAwaitOutsideFunction: true }) as unknown as {
    body: { start: number; end: number }[];
  };
  const available = new Set([...analyzeTypeScript(spec.setup).defs, ...analyzeTypeScript(cell.solution).defs, "check"]);
  const kept: string[] = [];
  let checks = 0;
  for (const node of program.body) {
    const text = js.js.slice(node.start, node.end);
    const { defs, uses } = analyzeTypeScript(text);
    if (BROWSER_ONLY.test(text) || !uses.every((u) => available.has(u))) continue;
    kept.push(text);
    for (const d of defs) available.add(d);
    checks += (text.match(/\bcheck\(/g) ?? []).length;
  }
  return { source: kept.join("\n"), checks };
}

/** What must agree between languages: everything but the case names (shown in the student's language). */
function gradingShape(spec: ExerciseSpec) {
  return spec.kind === "function"
    ? { kind: spec.kind, functionName: spec.functionName, args: spec.cases.map((c) => c.args), tolerance: spec.tolerance, setup: spec.setup }
    : { kind: spec.kind, names: spec.names, tolerance: spec.tolerance, setup: spec.setup };
}

it("finds the course's seven lessons", () => {
  expect(slugs.length).toBeGreaterThanOrEqual(7);
});

describe.each(slugs)("lesson %s", (slug) => {
  it("has at least two graded exercises, at least one a function exercise, in both languages", () => {
    for (const locale of locales) {
      const graded = gradedExercises(slug, locale);
      expect(graded.length, `${slug}/${locale}.md graded exercises`).toBeGreaterThanOrEqual(2);
      expect(graded.some((g) => g.spec.kind === "function"), `${slug}/${locale}.md has a function exercise`).toBe(true);
    }
  });

  it("grades the same exercises the same way in Spanish and English", async () => {
    const [es, en] = locales.map((l) => gradedExercises(slug, l));
    expect(en.map((g) => g.cell.id)).toEqual(es.map((g) => g.cell.id));
    for (let i = 0; i < es.length; i++) {
      const a = es[i]!.spec;
      const b = en[i]!.spec;
      expect(gradingShape(b), `${slug}: ${es[i]!.cell.id}`).toEqual(gradingShape(a));
      if (a.kind === "function" && b.kind === "function") {
        expect(b.cases.length).toBe(a.cases.length);
        // Case names are the student's language: translated, so never the same list in both.
        expect(new Set(a.cases.map((c) => c.name)).size).toBe(a.cases.length);
      }
      // Both references give the same expected values on the same hidden inputs.
      const [pa, pb] = await Promise.all([prepare(slug, "es", es[i]!), prepare(slug, "en", en[i]!)]);
      const expected = (p: PreparedExercise) => (p.kind === "function" ? p.cases.map((c) => c.expected) : p.values.map((v) => v.expected));
      expect(expected(pb), `${slug}: ${es[i]!.cell.id} expected values`).toEqual(expected(pa));
    }
  });

  it("keeps the hidden tests inside exercises: none in the prose, none in what a browser gets", () => {
    for (const locale of locales) {
      const doc = lessonDoc(slug, locale);
      for (const c of doc.cells) {
        if (c.kind === "markdown") expect(c.source, `${slug}/${locale}.md markdown cell ${c.id}`).not.toMatch(/^---\s+tests\s*$/m);
      }
      const pub = publicLessonDocument(doc);
      const text = JSON.stringify(pub);
      const inPublic = (hidden: string) => text.includes(JSON.stringify(hidden).slice(1, -1));
      for (const { cell, spec } of gradedExercises(slug, locale)) {
        const sent = pub.cells.find((c) => c.id === cell.id);
        expect(sent && sent.kind === "exercise" && sent.graded, `${slug}/${locale}: ${cell.id} is marked graded`).toBe(true);
        expect(sent && "tests" in sent, `${slug}/${locale}: ${cell.id} has no tests field`).toBe(false);
        expect(inPublic(cell.tests!), `${slug}/${locale}: ${cell.id} tests section`).toBe(false);
        for (const line of cell.tests!.split("\n").filter((l) => l.trim().startsWith("case "))) {
          expect(inPublic(line), `${slug}/${locale}: ${cell.id} leaks ${line.slice(0, 60)}`).toBe(false);
        }
        if (spec.setup.trim()) expect(inPublic(spec.setup), `${slug}/${locale}: ${cell.id} setup`).toBe(false);
      }
    }
  });

  describe.each(locales)("%s", (locale) => {
    const graded = gradedExercises(slug, locale);
    if (!graded.length) {
      it("has graded exercises", () => expect(graded).not.toEqual([]));
      return;
    }
    it.each(graded.map((g) => [g.cell.id, g] as const))("%s: the reference passes its hidden tests, the starter fails them", async (_id, ex) => {
      const p = await prepare(slug, locale, ex);
      if (p.kind === "function") {
        // A function that returns one constant cannot pass every case.
        const distinct = new Set(p.cases.map((c) => JSON.stringify(c.expected)));
        expect(distinct.size, "distinct expected values among the cases").toBeGreaterThanOrEqual(2);
        expect(p.cases.length).toBeGreaterThanOrEqual(3);
      } else {
        expect(ex.spec.setup.trim(), "a value exercise runs on hidden data (a setup)").not.toBe("");
      }
      // NaN and ±Infinity travel as null: a reference producing one is a lesson defect.
      const expected = p.kind === "function" ? p.cases.map((c) => c.expected) : p.values.map((v) => v.expected);
      expect(JSON.stringify(expected), "expected values are finite").not.toMatch(/\bnull\b/);
      // The reference also passes the part of its browser check that runs beside the hidden setup.
      const portable = portableCheck(ex.cell, ex.spec);
      if (portable.checks > 0) {
        const solutionJs = toJavaScript(ex.cell.solution);
        expect(solutionJs.ok).toBe(true);
        const source = [
          ex.spec.setup,
          solutionJs.ok ? solutionJs.js : "",
          "function check(condition, message) { if (!condition) throw new Error(String(message)); }",
          portable.source,
          'const portableCheck = "passed";',
        ].join("\n;\n");
        const run = await pool.run({ kind: "values", source, names: ["portableCheck"] });
        expect(run.status === "ok" ? run.outputs[0]?.json : run.message, `${slug}/${locale} ${ex.cell.id}: the solution against its check`).toBe('"passed"');
      }
      const solution = await gradeExercise(pool, p, ex.cell.solution);
      expect(solution.grade, `${slug}/${locale} ${ex.cell.id}: ${solution.detail.message}`).toMatchObject({ status: "graded", score: 1 });
      const starter = await gradeExercise(pool, p, ex.cell.starter);
      expect(starter.grade.score, `${slug}/${locale} ${ex.cell.id}: the starter`).toBeLessThan(1);
    });
  });
});
