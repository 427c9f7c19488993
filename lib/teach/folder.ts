// The content/lessons folder format (meta.json, es.md, en.md) ↔ LessonBundle. Reading is
// all-or-nothing: the first problem throws a LessonImportError naming the file and line, and no
// partial bundle is ever returned. Writing gives the files a built-in lesson folder holds.
import { z } from "zod";
import { LessonMarkdownError, parseLessonMarkdown, toLessonMarkdown } from "@/lib/notebook/lesson-markdown";
import type { NotebookDocument } from "@/lib/notebook/types";
import { bundleLocales, LESSON_LOCALES, toCourseMeta, type LessonBundle, type LessonLocale } from "./bundle";
import { LessonImportError } from "./errors";

/** A lesson file is refused past this size (a built-in lesson is under 60 KB). */
export const MAX_LESSON_FILE_BYTES = 1024 * 1024;

const text = (max: number) => z.string().max(max);
const localized = (max: number) => z.object({ es: text(max).optional(), en: text(max).optional() }).strict();
export const DATASET_NAME_RE = /^[a-z0-9][a-z0-9-]{0,63}$/;
export const TAG_RE = /^[\p{L}\p{N}][\p{L}\p{N} _-]{0,31}$/u;

export const bundleMetaSchema = z
  .object({
    title: localized(200),
    summary: localized(2000),
    minutes: z.number().int().positive().max(600).optional(),
    datasets: z.array(z.string().regex(DATASET_NAME_RE)).max(20).default([]),
    tags: z.array(z.string().regex(TAG_RE)).max(20).default([]),
    grading: z.object({ hintCost: z.number().min(0).max(1).optional(), revealedCap: z.number().min(0).max(1).optional() }).strict().optional(),
  })
  .strict();

// meta.json as the course writes it: slug and order are the course's, ignored on import.
const metaFileSchema = bundleMetaSchema.extend({ slug: z.string().max(64).optional(), order: z.number().int().optional() });

export type LessonFolderFiles = Partial<Record<"meta.json" | "es.md" | "en.md", string>>;

function zodProblem(e: z.ZodError): string {
  return e.issues
    .slice(0, 3)
    .map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`)
    .join("; ");
}

/** A lesson file's parse error as an import problem naming the file (duplicate id, unknown kind, …). */
export function markdownProblem(file: string, e: LessonMarkdownError): LessonImportError {
  const message = e.message.replace(/^line \d+: /, "");
  const dup = /^duplicate cell id "([^"]*)"/.exec(message);
  if (dup) return new LessonImportError("duplicateId", `${file}, line ${e.line}: ${message}`, { file, line: e.line, id: dup[1] });
  const kind = /^unknown cell kind "([^"]*)"/.exec(message);
  if (kind) return new LessonImportError("unknownKind", `${file}, line ${e.line}: ${message}`, { file, line: e.line, kind: kind[1] });
  return new LessonImportError("lessonFile", `${file}, line ${e.line}: ${message}`, { file, line: e.line, problem: message });
}

/** Throws languagesDiffer unless both documents hold the same cells (ids, order and kinds). */
export function assertSameStructure(es: NotebookDocument, en: NotebookDocument): void {
  const n = Math.max(es.cells.length, en.cells.length);
  for (let i = 0; i < n; i++) {
    const a = es.cells[i];
    const b = en.cells[i];
    if (!a || !b || a.id !== b.id || a.kind !== b.kind) {
      const where = a?.id ?? b?.id ?? "?";
      const detail = !a ? `only en.md has cell "${b!.id}"` : !b ? `only es.md has cell "${a.id}"` : a.id !== b.id ? `cell ${i + 1} is "${a.id}" in es.md and "${b.id}" in en.md` : `cell "${a.id}" is ${a.kind} in es.md and ${b.kind} in en.md`;
      throw new LessonImportError("languagesDiffer", `es.md and en.md must hold the same cells: ${detail}`, { cell: where, detail });
    }
  }
}

/** Reads a lesson folder's files into a bundle, or throws the first problem found. */
export function bundleFromFolder(files: LessonFolderFiles): LessonBundle {
  const metaText = files["meta.json"];
  if (metaText === undefined) throw new LessonImportError("zipMissingFile", "the lesson has no meta.json", { file: "meta.json" });
  for (const [name, value] of Object.entries(files)) {
    if (value !== undefined && value.length > MAX_LESSON_FILE_BYTES) {
      throw new LessonImportError("tooLarge", `${name} is larger than ${MAX_LESSON_FILE_BYTES} bytes`, { file: name, limit: MAX_LESSON_FILE_BYTES });
    }
  }
  let metaJson: unknown;
  try {
    metaJson = JSON.parse(metaText);
  } catch (e) {
    throw new LessonImportError("metaNotJson", `meta.json is not JSON (${(e as Error).message})`, { problem: (e as Error).message });
  }
  const parsed = metaFileSchema.safeParse(metaJson);
  if (!parsed.success) {
    const problem = zodProblem(parsed.error);
    throw new LessonImportError("metaInvalid", `meta.json: ${problem}`, { problem });
  }
  const { slug: _slug, order: _order, ...meta } = parsed.data;
  const docs: LessonBundle["docs"] = {};
  for (const locale of LESSON_LOCALES) {
    const source = files[`${locale}.md`];
    if (source === undefined) continue;
    try {
      docs[locale] = parseLessonMarkdown(source, { locale, ...(meta.title[locale] ? { title: meta.title[locale] } : {}), datasets: meta.datasets });
    } catch (e) {
      if (e instanceof LessonMarkdownError) throw markdownProblem(`${locale}.md`, e);
      throw e;
    }
  }
  if (!docs.es && !docs.en) throw new LessonImportError("noLanguage", "the lesson has neither es.md nor en.md", {});
  if (docs.es && docs.en) assertSameStructure(docs.es, docs.en);
  // Titles and summaries are kept for the languages the lesson is written in.
  const only = (r: Partial<Record<LessonLocale, string>>) => Object.fromEntries(LESSON_LOCALES.filter((l) => docs[l] && r[l] !== undefined).map((l) => [l, r[l]]));
  return { meta: { ...meta, title: only(meta.title), summary: only(meta.summary) }, docs, outdated: { es: [], en: [] } };
}

/** The folder's files for a bundle (meta.json in the course's shape, one markdown file per language). */
export function bundleToFolder(bundle: LessonBundle, slug: string, order = 100): LessonFolderFiles {
  const files: LessonFolderFiles = { "meta.json": JSON.stringify(toCourseMeta(bundle, slug, order), null, 2) + "\n" };
  for (const locale of bundleLocales(bundle)) files[`${locale}.md`] = toLessonMarkdown(bundle.docs[locale]!);
  return files;
}

/** The bundle as its files would read back (markdown sources trimmed, the student's copy of each exercise reset to its starter). */
export function normalizeThroughFiles(bundle: LessonBundle, slug = "lesson"): LessonBundle {
  const back = bundleFromFolder(bundleToFolder(bundle, slug));
  return { ...back, meta: { ...bundle.meta }, outdated: { es: [...bundle.outdated.es], en: [...bundle.outdated.en] } };
}

export type { LessonLocale };
