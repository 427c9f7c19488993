// Every lesson file parses, round-trips, has the same cells in both languages, and its code
// cells parse for dependency analysis. Lessons are content, but the format is this module's.
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { dependencyGraph } from "@/lib/notebook/dependencies";
import { parseLessonMarkdown, toLessonMarkdown } from "@/lib/notebook/lesson-markdown";

const root = "content/lessons";
const slugs = existsSync(root) ? readdirSync(root).filter((d) => statSync(join(root, d)).isDirectory()) : [];

describe.each(slugs)("lesson %s", (slug) => {
  const files = ["es", "en"].map((l) => join(root, slug, `${l}.md`)).filter(existsSync);
  const docs = files.map((f) => parseLessonMarkdown(readFileSync(f, "utf8")));

  it("parses and round-trips", () => {
    for (const d of docs) expect(parseLessonMarkdown(toLessonMarkdown(d))).toEqual(d);
  });

  it("has the same non-markdown cells, in the same order, in every language", () => {
    const shape = (i: number) => docs[i].cells.filter((c) => c.kind !== "markdown").map((c) => `${c.kind}:${c.id}`);
    for (let i = 1; i < docs.length; i++) expect(shape(i)).toEqual(shape(0));
  });

  it("has code cells that parse", () => {
    for (const d of docs) {
      const broken = dependencyGraph(d.cells).cells.filter((c) => c.error).map((c) => `${c.id}: ${c.error}`);
      expect(broken).toEqual([]);
    }
  });
});
