// An uploaded .ipynb as a one-language authored lesson: cells keep their order and text, outputs
// are dropped (a lesson is run by its reader), ids become lesson ids (kebab-case, unique), and the
// result goes through the lesson file format once so it is a lesson the files could hold.
import { fromIpynb, IpynbFormatError } from "@/lib/notebook/ipynb";
import { LessonMarkdownError } from "@/lib/notebook/lesson-markdown";
import { CellId, type Cell, type NotebookDocument } from "@/lib/notebook/types";
import type { LessonBundle, LessonLocale } from "./bundle";
import { LessonImportError } from "./errors";
import { markdownProblem, normalizeThroughFiles } from "./folder";

export const MAX_IPYNB_BYTES = 4 * 1024 * 1024;

function lessonId(raw: string, index: number, used: Set<string>): string {
  let id = raw
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 48)
    .replace(/-+$/, "");
  if (!id) id = `cell-${index + 1}`;
  let candidate = id;
  for (let n = 2; used.has(candidate); n++) candidate = `${id}-${n}`;
  used.add(candidate);
  return candidate;
}

function withoutOutputs(cell: Cell, id: string): Cell {
  const { metadata: _m, ...rest } = cell;
  const c = { ...rest, id: CellId.of(id) } as Cell;
  if (c.kind === "markdown") return { id: c.id, kind: "markdown", source: c.source };
  if (c.kind === "quiz") return c;
  return { ...c, outputs: [], executionCount: null } as Cell;
}

export function bundleFromIpynb(text: string, locale: LessonLocale): LessonBundle {
  if (text.length > MAX_IPYNB_BYTES) throw new LessonImportError("tooLarge", `the notebook is larger than ${MAX_IPYNB_BYTES} bytes`, { file: ".ipynb", limit: MAX_IPYNB_BYTES });
  let doc: NotebookDocument;
  try {
    doc = fromIpynb(text);
  } catch (e) {
    if (e instanceof IpynbFormatError) throw new LessonImportError("ipynbMalformed", e.message, { problem: e.message });
    throw new LessonImportError("ipynbMalformed", `not a Jupyter notebook (${(e as Error).message})`, { problem: (e as Error).message });
  }
  const used = new Set<string>();
  const cells = doc.cells.map((c, i) => withoutOutputs(c, lessonId(c.id, i, used)));
  const title = doc.metadata.title || firstHeading(cells) || "";
  const bundle: LessonBundle = {
    meta: { title: { [locale]: title }, summary: { [locale]: "" }, datasets: doc.metadata.datasets ?? [], tags: [] },
    docs: { [locale]: { format: 1, metadata: { title, locale }, cells } },
    outdated: { es: [], en: [] },
  };
  try {
    return normalizeThroughFiles(bundle);
  } catch (e) {
    if (e instanceof LessonImportError && e.key !== "ipynbMalformed") throw e;
    if (e instanceof LessonMarkdownError) throw markdownProblem(`${locale}.md`, e);
    throw e;
  }
}

function firstHeading(cells: Cell[]): string | undefined {
  for (const c of cells) {
    const m = c.kind === "markdown" ? /^#\s+(.+?)\s*$/m.exec(c.source) : null;
    if (m) return m[1];
  }
  return undefined;
}
