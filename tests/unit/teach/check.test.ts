import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { lessonsDir, listLessons } from "@/lib/content/lessons";
import { listDatasets } from "@/lib/datasets/catalog";
import { parseLessonMarkdown } from "@/lib/notebook/lesson-markdown";
import type { ExerciseCell, QuizCell } from "@/lib/notebook/types";
import type { LessonBundle } from "@/lib/teach/bundle";
import { staticCheck } from "@/lib/teach/check";
import { bundleFromFolder } from "@/lib/teach/folder";

const datasets = new Set(listDatasets().map((d) => d.name));
const read = (slug: string, name: string) => readFileSync(join(lessonsDir, slug, name), "utf8");

describe("the lesson check's static rules", () => {
  for (const lesson of listLessons()) {
    it(`finds no problem in the built-in lesson "${lesson.slug}"`, () => {
      const bundle = bundleFromFolder({ "meta.json": read(lesson.slug, "meta.json"), "es.md": read(lesson.slug, "es.md"), "en.md": read(lesson.slug, "en.md") });
      expect(staticCheck(bundle, datasets)).toEqual([]);
    });
  }

  it("reports each broken rule on its cell and language", () => {
    const es = parseLessonMarkdown('# T\n\n```ts id=load\nconst d = await data.load("no-such-data");\n```\n\n~~~exercise id=ex\n--- starter\nlet y = 0;\n--- check\ncheck(y === 1, "y");\n--- solution\nlet y = 1;\n--- tests\nvalues y\n~~~\n\n~~~quiz id=q\n? ¿Sí?\n- [x] sí\n- [ ] no\n~~~\n');
    const bundle: LessonBundle = { meta: { title: { es: "" }, summary: {}, datasets: ["fraud", "ghost"], tags: [] }, docs: { es }, outdated: { es: [], en: [] } };
    const ex = es.cells.find((c) => c.id === "ex") as ExerciseCell;
    ex.solution = "";
    ex.tests = "values y\nnonsense line";
    const quiz = es.cells.find((c) => c.id === "q") as QuizCell;
    quiz.questions.push({ prompt: "", options: [{ text: "solo", correct: false }] });
    es.cells.push({ id: "c-000000000001" as never, kind: "markdown", source: "  " });
    expect(staticCheck(bundle, datasets).map((p) => [p.key, p.cellId, p.locale])).toEqual([
      ["unknownDataset", null, null],
      ["noTitle", null, "es"],
      ["unknownDataset", "load", "es"],
      ["exerciseNoSolution", "ex", "es"],
      ["testsInvalid", "ex", "es"],
      ["quizEmptyPrompt", "q", "es"],
      ["quizFewOptions", "q", "es"],
      ["quizNoCorrect", "q", "es"],
      ["emptyMarkdown", "c-000000000001", "es"],
    ]);
  });
});
