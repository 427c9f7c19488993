import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { strToU8, zipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { lessonsDir, listLessons } from "@/lib/content/lessons";
import { parseLessonMarkdown } from "@/lib/notebook/lesson-markdown";
import { LessonImportError } from "@/lib/teach/errors";
import { bundleFromFolder, bundleToFolder, type LessonFolderFiles } from "@/lib/teach/folder";
import { readLessonZip, writeLessonZip } from "@/lib/teach/zip";

function builtinFiles(slug: string): LessonFolderFiles {
  const files: LessonFolderFiles = {};
  for (const name of readdirSync(join(lessonsDir, slug))) {
    if (name === "meta.json" || name === "es.md" || name === "en.md") files[name] = readFileSync(join(lessonsDir, slug, name), "utf8");
  }
  return files;
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

const zip = (entries: Record<string, string>) => zipSync(Object.fromEntries(Object.entries(entries).map(([k, v]) => [k, strToU8(v)])));
const META = JSON.stringify({ title: { es: "Prueba", en: "Test" }, summary: { es: "", en: "" }, datasets: [] });

describe("lesson folders ↔ bundles", () => {
  const lessons = listLessons();
  it("finds the seven built-in lessons", () => expect(lessons.map((l) => l.slug)).toHaveLength(7));

  for (const lesson of lessons) {
    it(`round-trips the built-in lesson "${lesson.slug}": export as a zip, import, same lesson`, () => {
      const files = builtinFiles(lesson.slug);
      const bundle = bundleFromFolder(files);
      // The bundle holds what the course's own loader reads from the files, hidden tests included.
      for (const l of ["es", "en"] as const) {
        expect(bundle.docs[l]!.cells).toEqual(parseLessonMarkdown(files[`${l}.md`]!).cells);
      }
      expect(bundle.meta.title).toEqual(lesson.title);
      const exported = bundleToFolder(bundle, lesson.slug, lesson.order);
      expect(JSON.parse(exported["meta.json"]!)).toMatchObject({ slug: lesson.slug, order: lesson.order, title: lesson.title, summary: lesson.summary, datasets: lesson.datasets });
      const archive = readLessonZip(writeLessonZip(lesson.slug, { files: exported, images: [] }));
      expect(bundleFromFolder(archive.files)).toEqual(bundle);
    });
  }

  it("keeps images through a zip and accepts a zip without a top folder", () => {
    const img = new Uint8Array([137, 80, 78, 71, 1, 2, 3]);
    const bytes = writeLessonZip("x", { files: { "meta.json": META, "es.md": "# Hola\n" }, images: [{ name: "chart.png", data: img }] });
    const back = readLessonZip(bytes);
    expect(back.images).toEqual([{ name: "chart.png", data: img }]);
    expect(readLessonZip(zip({ "meta.json": META, "en.md": "# Hi\n" })).files["en.md"]).toBe("# Hi\n");
  });

  it("refuses each malformed input naming the problem, and returns nothing partial", () => {
    expect(refusal(() => readLessonZip(strToU8("not a zip at all"))).key).toBe("zipMalformed");
    expect(refusal(() => readLessonZip(zip({ "meta.json": META, "es.md": "x", "run.sh": "rm -rf /" }))).params).toEqual({ file: "run.sh" });
    expect(refusal(() => bundleFromFolder({ "es.md": "# x" })).key).toBe("zipMissingFile");
    expect(refusal(() => bundleFromFolder({ "meta.json": "{", "es.md": "# x" })).key).toBe("metaNotJson");
    expect(refusal(() => bundleFromFolder({ "meta.json": JSON.stringify({ title: { es: 3 } }), "es.md": "# x" })).key).toBe("metaInvalid");
    expect(refusal(() => bundleFromFolder({ "meta.json": META })).key).toBe("noLanguage");
    const dup = refusal(() => bundleFromFolder({ "meta.json": META, "es.md": "```ts id=a\n1\n```\n\n```ts id=a\n2\n```\n" }));
    expect(dup.key).toBe("duplicateId");
    expect(dup.params).toEqual({ file: "es.md", line: 5, id: "a" });
    const kind = refusal(() => bundleFromFolder({ "meta.json": META, "en.md": "~~~video id=v\nx\n~~~\n" }));
    expect(kind.key).toBe("unknownKind");
    expect(kind.params).toMatchObject({ file: "en.md", kind: "video" });
    const differ = refusal(() => bundleFromFolder({ "meta.json": META, "es.md": "```ts id=a\n1\n```\n", "en.md": "```ts id=b\n1\n```\n" }));
    expect(differ.key).toBe("languagesDiffer");
    expect(differ.message).toMatch(/"a" in es.md and "b" in en.md/);
  });

  it("checks the sizes a zip declares before inflating it", () => {
    const big = zipSync({ "es.md": new Uint8Array(2 * 1024 * 1024), "meta.json": strToU8(META) });
    expect(refusal(() => readLessonZip(big)).key).toBe("tooLarge");
  });
});
