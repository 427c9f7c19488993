// Every lesson's TypeScript cells type-check in notebook order with no errors, against exactly what
// the editor loads (the generated declarations, earlier cells' modules and the prelude): a lesson
// whose code or whose library declarations disagree shows a student red underlines before they
// have typed anything. Exercises are checked with their reference solution followed by their
// check, as a solved notebook runs them; a lesson's later cells see the solution's names.
// All of a lesson's cells are checked in one program (CellTypeChecker.checkAll: each cell as a
// module with its prelude, as the editor checks the cells below the edited one).
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { parseLessonMarkdown } from "@/lib/notebook/lesson-markdown";
import { CellTypeChecker } from "../notebook/cell-typecheck";

const root = fileURLToPath(new URL("../../..", import.meta.url));
const lessonsDir = join(root, "content", "lessons");
const slugs = readdirSync(lessonsDir).filter((d) => statSync(join(lessonsDir, d)).isDirectory()).sort();

let tc: CellTypeChecker;
beforeAll(() => {
  tc = new CellTypeChecker();
}, 120_000);

describe.each(slugs)("lesson %s", (slug) => {
  it.each(["es", "en"])("%s: every code cell and exercise solution type-checks after the cells above it", (lang) => {
    const doc = parseLessonMarkdown(readFileSync(join(lessonsDir, slug, `${lang}.md`), "utf8"));
    const cells = doc.cells.filter((c) => c.kind === "code" || c.kind === "exercise");
    const sources = cells.map((c) => (c.kind === "code" ? c.source : `${c.solution}\n;\n${c.check}`));
    const problems = tc.checkAll(sources).flatMap((errors, i) => errors.map((e) => `${cells[i].id} line ${e.line}: TS${e.code} ${e.message}`));
    expect(problems).toEqual([]);
  }, 120_000);
});
