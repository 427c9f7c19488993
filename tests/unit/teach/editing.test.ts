import { describe, expect, it } from "vitest";
import { toIpynbJson } from "@/lib/notebook/ipynb";
import { parseLessonMarkdown } from "@/lib/notebook/lesson-markdown";
import type { ExerciseCell } from "@/lib/notebook/types";
import type { LessonBundle } from "@/lib/teach/bundle";
import { diffCells } from "@/lib/teach/diff";
import { addCell, addLanguage, deleteLessonCell, editLessonCell, moveLessonCell, removeLanguage } from "@/lib/teach/edit";
import { LessonImportError } from "@/lib/teach/errors";
import { bundleFromIpynb } from "@/lib/teach/ipynb-import";
import { isOutdated, markEdited } from "@/lib/teach/translation";
import { parseDraftBundleOrThrow } from "@/lib/teach/validate";

const ES = "# Hola\n\n```ts id=a\nconst x = 1;\n```\n\n~~~exercise id=ex\n--- starter\nlet y = 0;\n--- check\ncheck(y === 2, \"no\");\n--- solution\nlet y = 2;\n--- tests\nvalues y\n~~~\n";
const EN = ES.replace("# Hola", "# Hello").replace('"no"', '"nope"');

function bilingual(): LessonBundle {
  return {
    meta: { title: { es: "Hola", en: "Hello" }, summary: { es: "", en: "" }, datasets: [], tags: [] },
    docs: { es: parseLessonMarkdown(ES, { locale: "es" }), en: parseLessonMarkdown(EN, { locale: "en" }) },
    outdated: { es: [], en: [] },
  };
}

function refusal(f: () => unknown): LessonImportError {
  try {
    f();
  } catch (e) {
    if (e instanceof LessonImportError) return e;
    throw e;
  }
  throw new Error("not refused");
}

describe("translation marks", () => {
  it("an edit in Spanish marks the English cell outdated; translating it clears the mark without marking Spanish", () => {
    let b = editLessonCell(bilingual(), "es", "a", { source: "const x = 2;" }, false);
    expect(isOutdated(b.outdated, "en", "a")).toBe(true);
    expect(isOutdated(b.outdated, "es", "a")).toBe(false);
    b = editLessonCell(b, "es", "a", { source: "const x = 22;" }, true);
    expect(b.outdated).toEqual({ es: [], en: ["a"] });
    // The English session: its first keystroke updates the translation, the rest continue it.
    b = editLessonCell(b, "en", "a", { source: "const x = 2" }, false);
    b = editLessonCell(b, "en", "a", { source: "const x = 22;" }, true);
    expect(b.outdated).toEqual({ es: [], en: [] });
    // A later, new English edit is a change Spanish must follow.
    b = editLessonCell(b, "en", "a", { source: "const x = 3;" }, false);
    expect(b.outdated).toEqual({ es: ["a"], en: [] });
  });

  it("a lesson in one language has no marks; adding a language marks every cell until translated", () => {
    const one = removeLanguage(bilingual(), "en");
    expect(Object.keys(one.docs)).toEqual(["es"]);
    expect(editLessonCell(one, "es", "a", { source: "1" }, false).outdated).toEqual({ es: [], en: [] });
    const two = addLanguage(one, "en");
    expect(two.outdated.en).toEqual(two.docs.es!.cells.map((c) => c.id));
    expect(markEdited(two.outdated, "a", "en", false).en).not.toContain("a");
  });
});

describe("structure edits apply to both languages", () => {
  it("adds, moves and deletes cells in es and en at once; an exercise's student code follows its starter", () => {
    const { bundle: added, id } = addCell(bilingual(), "exercise", "a");
    expect(id).toMatch(/^c-[0-9a-f]{12}$/);
    expect(added.docs.es!.cells.map((c) => c.id)).toEqual(added.docs.en!.cells.map((c) => c.id));
    expect(added.docs.es!.cells[2].id).toBe(id);
    const moved = moveLessonCell(added, id, 0);
    expect(moved.docs.en!.cells[0].id).toBe(id);
    const edited = editLessonCell<ExerciseCell>(moved, "es", id, { starter: "let z = 1;" }, false);
    expect((edited.docs.es!.cells[0] as ExerciseCell).source).toBe("let z = 1;");
    const deleted = deleteLessonCell(edited, id);
    expect(deleted.docs.es!.cells.map((c) => c.id)).toEqual(bilingual().docs.es!.cells.map((c) => c.id));
    expect(deleted.outdated).toEqual({ es: [], en: [] });
  });
});

describe("cell diff", () => {
  it("names added, removed, changed (with fields) and moved cells", () => {
    const before = bilingual().docs.es!;
    let b = editLessonCell<ExerciseCell>(bilingual(), "es", "ex", { tests: "values y\ntolerance 0.1" }, false);
    b = addCell(b, "markdown", null).bundle;
    b = deleteLessonCell(b, "a");
    const diff = diffCells(before, b.docs.es!);
    expect(diff.map((d) => [d.id.startsWith("c-") ? "new" : d.id, d.status])).toEqual([
      ["new", "added"],
      ["md-a", "unchanged"],
      ["a", "removed"],
      ["ex", "changed"],
    ]);
    expect(diff.find((d) => d.id === "ex")).toMatchObject({ fields: ["tests"], moved: false });
    const swapped = moveLessonCell(bilingual(), "ex", 0).docs.es!;
    expect(diffCells(before, swapped).find((d) => d.id === "ex")).toMatchObject({ status: "unchanged", moved: true });
  });
});

describe("ipynb import", () => {
  it("imports a notebook as a one-language lesson with lesson ids and no outputs", () => {
    const nb = JSON.parse(toIpynbJson(parseLessonMarkdown("# Title\n\n```ts id=a\n1 + 1\n```\n")));
    for (const c of nb.cells) delete c.metadata.cuaderno; // as a notebook from Jupyter holds them
    nb.cells[0].id = "intro";
    nb.cells[1].id = "Some Jupyter_ID";
    nb.cells[1].outputs = [{ output_type: "stream", name: "stdout", text: ["2"] }];
    const b = bundleFromIpynb(JSON.stringify(nb), "en");
    expect(Object.keys(b.docs)).toEqual(["en"]);
    expect(b.meta.title).toEqual({ en: "Title" });
    expect(b.docs.en!.cells.map((c) => [c.id, c.kind])).toEqual([
      ["intro", "markdown"],
      ["some-jupyter-id", "code"],
    ]);
    expect(b.docs.en!.cells[1]).toMatchObject({ outputs: [], source: "1 + 1" });
  });

  it("refuses a malformed notebook naming the problem", () => {
    expect(refusal(() => bundleFromIpynb("{not json", "es")).key).toBe("ipynbMalformed");
    expect(refusal(() => bundleFromIpynb(JSON.stringify({ nbformat: 3, cells: [] }), "es")).message).toMatch(/nbformat 4/);
    expect(refusal(() => bundleFromIpynb(JSON.stringify({ nbformat: 4, cells: [{ cell_type: "widget", source: "" }] }), "es")).message).toMatch(/unknown cell_type "widget"/);
  });
});

describe("drafts from the author's browser", () => {
  it("keeps an author's hidden tests and refuses bad ids, differing languages and bad meta", () => {
    const b = parseDraftBundleOrThrow(JSON.parse(JSON.stringify(bilingual())));
    expect((b.docs.es!.cells[2] as ExerciseCell).tests).toBe("values y");
    const badId = bilingual();
    badId.docs.es!.cells[1] = { ...badId.docs.es!.cells[1], id: "Bad Id" } as never;
    badId.docs.en!.cells[1] = { ...badId.docs.en!.cells[1], id: "Bad Id" } as never;
    expect(refusal(() => parseDraftBundleOrThrow(badId)).message).toMatch(/kebab-case/);
    const differ = bilingual();
    differ.docs.en!.cells.pop();
    expect(refusal(() => parseDraftBundleOrThrow(differ)).key).toBe("languagesDiffer");
    expect(refusal(() => parseDraftBundleOrThrow({ ...bilingual(), meta: { ...bilingual().meta, minutes: -3 } })).key).toBe("metaInvalid");
    expect(refusal(() => parseDraftBundleOrThrow({ ...bilingual(), docs: {} })).key).toBe("noLanguage");
  });
});
