// A draft as an author's browser sends it: checked for shape and bounds before it is stored.
// Unlike a student's notebook, an author's exercise cells carry their hidden tests. A draft may be
// unfinished (an exercise without a solution yet): what publishing requires is the lesson check's
// job (lib/teach/check.ts), not this one's.
import { z } from "zod";
import { parseNotebookOrThrow } from "@/lib/notebook/schema";
import type { NotebookDocument } from "@/lib/notebook/types";
import { LESSON_LOCALES, type LessonBundle } from "./bundle";
import { LessonImportError, type LessonProblemKey } from "./errors";
import { assertSameStructure, bundleMetaSchema } from "./folder";
import { gradingProblem, type GradingProblem } from "./grading-fields";

export const MAX_BUNDLE_BYTES = 4 * 1024 * 1024;
export const MAX_CELLS = 400;
export const MAX_TESTS_CHARS = 64 * 1024;
export const LESSON_CELL_ID_RE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

const rawBundleSchema = z
  .object({
    meta: z.unknown(),
    docs: z.object({ es: z.unknown().optional(), en: z.unknown().optional() }).strict(),
    outdated: z.object({ es: z.array(z.string().max(64)).max(MAX_CELLS), en: z.array(z.string().max(64)).max(MAX_CELLS) }).strict(),
  })
  .strict();

function draftProblem(message: string): LessonImportError {
  return new LessonImportError("draftInvalid", message, { problem: message });
}

const GRADING_KEYS: Record<GradingProblem, { key: LessonProblemKey; what: string }> = {
  toleranceNotNumber: { key: "gradingTolerance", what: "a tolerance must be a number ≥ 0" },
  functionName: { key: "gradingFunctionName", what: "not a function name" },
  valueNames: { key: "gradingValueNames", what: "not a list of variable names" },
};

/** A grading field (kind's target, tolerance) the grading would not read. */
function gradingRefusal(cell: string, locale: string, problem: GradingProblem, value: string): LessonImportError {
  const { key, what } = GRADING_KEYS[problem];
  return new LessonImportError(key, `${locale}: exercise "${cell}": "${value}": ${what}`, { cell, language: locale, value });
}

function authorDocument(raw: unknown, locale: string): NotebookDocument {
  let doc: NotebookDocument;
  try {
    doc = parseNotebookOrThrow(raw);
  } catch (e) {
    throw draftProblem(`${locale}: ${(e as Error).message}`);
  }
  if (doc.cells.length > MAX_CELLS) throw draftProblem(`${locale}: more than ${MAX_CELLS} cells`);
  const rawCells = (raw as { cells: { tests?: unknown }[] }).cells;
  const cells = doc.cells.map((cell, i) => {
    if (!LESSON_CELL_ID_RE.test(cell.id) || cell.id.length > 64) throw draftProblem(`${locale}: cell id "${cell.id}" must be kebab-case (a-z, 0-9, single dashes)`);
    if (cell.kind !== "exercise") return cell;
    const tests = rawCells[i]?.tests;
    if (tests === undefined || tests === null) return cell;
    if (typeof tests !== "string" || tests.length > MAX_TESTS_CHARS) throw draftProblem(`${locale}: exercise "${cell.id}" has invalid hidden tests`);
    const refused = gradingProblem(tests);
    if (refused) throw gradingRefusal(cell.id, locale, refused.problem, refused.value);
    return { ...cell, tests };
  });
  return { ...doc, cells };
}

/** The draft as stored, or a LessonImportError naming what is wrong. */
export function parseDraftBundleOrThrow(input: unknown): LessonBundle {
  const size = JSON.stringify(input ?? null).length;
  if (size > MAX_BUNDLE_BYTES) throw new LessonImportError("tooLarge", `the lesson is larger than ${MAX_BUNDLE_BYTES} bytes`, { file: "lesson", limit: MAX_BUNDLE_BYTES });
  const shape = rawBundleSchema.safeParse(input);
  if (!shape.success) throw draftProblem(shape.error.issues[0]?.message ?? "invalid lesson");
  const meta = bundleMetaSchema.safeParse(shape.data.meta);
  if (!meta.success) {
    const i = meta.error.issues[0];
    throw new LessonImportError("metaInvalid", `meta: ${i.path.join(".")}: ${i.message}`, { problem: `${i.path.join(".")}: ${i.message}` });
  }
  const docs: LessonBundle["docs"] = {};
  for (const l of LESSON_LOCALES) if (shape.data.docs[l] !== undefined) docs[l] = authorDocument(shape.data.docs[l], l);
  if (!docs.es && !docs.en) throw new LessonImportError("noLanguage", "the lesson has no language", {});
  if (docs.es && docs.en) assertSameStructure(docs.es, docs.en);
  const ids = new Set((docs.es ?? docs.en)!.cells.map((c) => c.id as string));
  const outdated = { es: shape.data.outdated.es.filter((id) => ids.has(id)), en: shape.data.outdated.en.filter((id) => ids.has(id)) };
  return { meta: meta.data, docs, outdated };
}
