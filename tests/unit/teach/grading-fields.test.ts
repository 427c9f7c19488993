import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { lessonsDir, listLessons } from "@/lib/content/lessons";
import { parseTestsSection } from "@/lib/grading/exercise-spec";
import { parseLessonMarkdown } from "@/lib/notebook/lesson-markdown";
import type { ExerciseCell } from "@/lib/notebook/types";
import type { LessonBundle } from "@/lib/teach/bundle";
import { LessonImportError } from "@/lib/teach/errors";
import { bundleFromFolder, bundleToFolder } from "@/lib/teach/folder";
import { gradingProblem, readGradingFields, setExerciseGrading, targetProblem, toleranceProblem, writeGradingFields } from "@/lib/teach/grading-fields";
import { parseDraftBundleOrThrow } from "@/lib/teach/validate";

const ES = '# Hola\n\n~~~exercise id=ex\n--- starter\nlet y = 0;\n--- check\ncheck(y === 2, "no");\n--- solution\nlet y = 2;\n--- tests\nvalues y\n~~~\n\n~~~exercise id=fx\n--- starter\nfunction f(x: number) { return 0; }\n--- check\ncheck(f(1) === 2, "f");\n--- solution\nfunction f(x: number) { return 2 * x; }\n~~~\n';
const EN = ES.replace("# Hola", "# Hello");

function bilingual(): LessonBundle {
  return {
    meta: { title: { es: "Hola", en: "Hello" }, summary: { es: "", en: "" }, datasets: [], tags: [] },
    docs: { es: parseLessonMarkdown(ES, { locale: "es" }), en: parseLessonMarkdown(EN, { locale: "en" }) },
    outdated: { es: [], en: [] },
  };
}
const exercise = (b: LessonBundle, l: "es" | "en", id: string) => b.docs[l]!.cells.find((c) => c.id === id) as ExerciseCell;

describe("an exercise's grading fields", () => {
  it("read and write every built-in exercise's hidden tests without changing what the grading reads", () => {
    let seen = 0;
    for (const lesson of listLessons()) {
      for (const l of ["es", "en"] as const) {
        const doc = parseLessonMarkdown(readFileSync(join(lessonsDir, lesson.slug, `${l}.md`), "utf8"), { locale: l });
        for (const c of doc.cells) {
          if (c.kind !== "exercise" || c.tests === undefined) continue;
          seen++;
          const f = readGradingFields(c.tests);
          expect(f.kindMissing).toBe(false);
          expect(parseTestsSection(writeGradingFields(f)!)).toEqual(parseTestsSection(c.tests));
        }
      }
    }
    expect(seen).toBeGreaterThan(5);
  });

  it("reads kind, target and tolerance in either spelling; no section is the browser check only", () => {
    expect(readGradingFields(undefined)).toMatchObject({ kind: "browser", target: "" });
    expect(readGradingFields('function recall\ntolerance 1e-9\ncase "a": [1], [1]')).toEqual({ kind: "function", kindMissing: false, target: "recall", tolerance: { abs: "1e-9", rel: "1e-9" }, body: 'case "a": [1], [1]' });
    expect(readGradingFields("values threshold, cost\ntolerance abs=0.001 rel=0\nsetup\nconst tolerance = 1;")).toEqual({ kind: "value", kindMissing: false, target: "threshold, cost", tolerance: { abs: "0.001", rel: "0" }, body: "setup\nconst tolerance = 1;" });
    expect(readGradingFields("")).toMatchObject({ kindMissing: true, body: "" });
    // A tolerance line the grading would refuse stays in the body, where the lesson check sees it.
    expect(readGradingFields("values y\ntolerance -1")).toMatchObject({ tolerance: { abs: "", rel: "" }, body: "tolerance -1" });
  });

  it("writes one number when abs and rel agree, abs=/rel= otherwise, nothing when unset", () => {
    const base = { kind: "value" as const, target: "y", body: "" };
    expect(writeGradingFields({ ...base, tolerance: { abs: "0.01", rel: "0.01" } })).toBe("values y\ntolerance 0.01");
    expect(writeGradingFields({ ...base, tolerance: { abs: "0.01", rel: "" } })).toBe("values y\ntolerance abs=0.01");
    expect(writeGradingFields({ ...base, tolerance: { abs: "0", rel: "1e-6" } })).toBe("values y\ntolerance abs=0 rel=1e-6");
    expect(writeGradingFields({ ...base, tolerance: { abs: "", rel: "" } })).toBe("values y");
    expect(writeGradingFields({ ...base, kind: "browser", tolerance: { abs: "", rel: "" } })).toBeUndefined();
  });

  it("refuses values the grading would not read", () => {
    for (const bad of ["-1", "abc", "1e", "0.1 0.2", "Infinity", "1e999"]) expect(toleranceProblem(bad)).toBe("toleranceNotNumber");
    for (const good of ["", "0", "0.001", "1e-9", ".5"]) expect(toleranceProblem(good)).toBeNull();
    expect(targetProblem("function", "2fast")).toBe("functionName");
    expect(targetProblem("function", "a b")).toBe("functionName");
    expect(targetProblem("function", "recall")).toBeNull();
    expect(targetProblem("value", "a, a")).toBe("valueNames");
    expect(targetProblem("value", "a, 1b")).toBe("valueNames");
    expect(targetProblem("value", "threshold, cost")).toBeNull();
    expect(gradingProblem("values y\ntolerance -2")).toEqual({ problem: "toleranceNotNumber", value: "-2" });
    expect(gradingProblem('function 9x\ncase "a": 1')).toEqual({ problem: "functionName", value: "9x" });
    expect(gradingProblem("values y\ntolerance 0.1\nsetup\ntolerance -5")).toBeNull();
  });

  it("set in one language, kind, target and tolerance change in both, each keeping its own cases, with no translation mark", () => {
    let b = bilingual();
    b = setExerciseGrading(b, "fx", { kind: "function" });
    b = setExerciseGrading(b, "fx", { target: "f" });
    b = { ...b, docs: { es: { ...b.docs.es!, cells: b.docs.es!.cells.map((c) => (c.id === "fx" ? { ...c, tests: `${(c as ExerciseCell).tests}\ncase "uno": 1` } : c)) }, en: { ...b.docs.en!, cells: b.docs.en!.cells.map((c) => (c.id === "fx" ? { ...c, tests: `${(c as ExerciseCell).tests}\ncase "one": 1` } : c)) } } };
    b = setExerciseGrading(b, "fx", { tolerance: { abs: "0.5", rel: "" } });
    expect(exercise(b, "es", "fx").tests).toBe('function f\ntolerance abs=0.5\ncase "uno": 1');
    expect(exercise(b, "en", "fx").tests).toBe('function f\ntolerance abs=0.5\ncase "one": 1');
    expect(b.outdated).toEqual({ es: [], en: [] });
    // Value → function: a target that is not a function name is dropped, not kept broken.
    let v = setExerciseGrading(bilingual(), "ex", { target: "y, z" });
    v = setExerciseGrading(v, "ex", { kind: "function" });
    expect(exercise(v, "es", "ex").tests).toBe("function");
    // Browser only: the section goes, in both languages.
    v = setExerciseGrading(v, "ex", { kind: "browser" });
    expect("tests" in exercise(v, "es", "ex")).toBe(false);
    expect("tests" in exercise(v, "en", "ex")).toBe(false);
    expect(() => setExerciseGrading(bilingual(), "ex", { tolerance: { abs: "-1", rel: "" } })).toThrow(RangeError);
  });

  it("round-trips through the lesson folder format: what the draft holds is what an export imports", () => {
    let b = bilingual();
    b = setExerciseGrading(b, "ex", { tolerance: { abs: "0.001", rel: "0" } });
    b = setExerciseGrading(b, "fx", { kind: "function", target: "f" });
    b = { ...b, docs: { es: { ...b.docs.es!, cells: b.docs.es!.cells.map((c) => (c.id === "fx" ? { ...c, tests: `${(c as ExerciseCell).tests}\ncase "uno": 1` } : c)) }, en: b.docs.en } };
    b = { ...b, docs: { ...b.docs, en: { ...b.docs.en!, cells: b.docs.en!.cells.map((c) => (c.id === "fx" ? { ...c, tests: `${(c as ExerciseCell).tests}\ncase "one": 1` } : c)) } } };
    const files = bundleToFolder(b, "grading");
    expect(files["es.md"]).toContain("--- tests\nvalues y\ntolerance abs=0.001 rel=0\n");
    const back = bundleFromFolder(files);
    for (const l of ["es", "en"] as const) {
      expect(readGradingFields(exercise(back, l, "ex").tests)).toEqual(readGradingFields(exercise(b, l, "ex").tests));
      expect(readGradingFields(exercise(back, l, "fx").tests)).toMatchObject({ kind: "function", target: "f", tolerance: { abs: "", rel: "" } });
    }
    for (const l of ["es", "en"] as const) expect(parseDraftBundleOrThrow(JSON.parse(JSON.stringify(back))).docs[l]!.cells).toEqual(parseDraftBundleOrThrow(JSON.parse(JSON.stringify(b))).docs[l]!.cells);
  });

  it("a draft with a refused grading value is not stored, with a translatable reason naming the cell", () => {
    const b = bilingual();
    const bad = { ...b, docs: { ...b.docs, en: { ...b.docs.en!, cells: b.docs.en!.cells.map((c) => (c.id === "ex" ? { ...c, tests: "values y\ntolerance abs=-0.1" } : c)) } } };
    let e: unknown = null;
    try {
      parseDraftBundleOrThrow(JSON.parse(JSON.stringify(bad)));
    } catch (err) {
      e = err;
    }
    expect(e).toBeInstanceOf(LessonImportError);
    expect((e as LessonImportError).key).toBe("gradingTolerance");
    expect((e as LessonImportError).params).toEqual({ cell: "ex", language: "en", value: "abs=-0.1" });
    const badName = { ...b, docs: { ...b.docs, es: { ...b.docs.es!, cells: b.docs.es!.cells.map((c) => (c.id === "ex" ? { ...c, tests: "values 1y" } : c)) } } };
    expect(() => parseDraftBundleOrThrow(JSON.parse(JSON.stringify(badName)))).toThrow(/not a list of variable names/);
  });
});

describe("the lesson check and grading fields", () => {
  it("reports an exercise graded differently in Spanish and English", async () => {
    const { staticCheck } = await import("@/lib/teach/check");
    const b = bilingual();
    const same = setExerciseGrading(b, "ex", { tolerance: { abs: "0.1", rel: "" } });
    expect(staticCheck(same, new Set()).filter((p) => p.key === "gradingDiffers")).toEqual([]);
    const differs = { ...same, docs: { ...same.docs, en: { ...same.docs.en!, cells: same.docs.en!.cells.map((c) => (c.id === "ex" ? { ...c, tests: "values y\ntolerance 0.2" } : c)) } } };
    expect(staticCheck(differs, new Set()).filter((p) => p.key === "gradingDiffers").map((p) => p.cellId)).toEqual(["ex"]);
  });
});
