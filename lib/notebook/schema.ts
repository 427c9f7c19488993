// The notebook document's JSON form: validation (zod) and (de)serialization. Kept apart from
// document.ts so the page's pure edit operations do not pull zod into the first bundle.

import { z } from "zod";
import { CellId, type NotebookDocument } from "./types";

export class NotebookFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "NotebookFormatError";
  }
}

const cellIdSchema = z
  .string()
  .min(1)
  .max(128)
  .transform((s) => CellId.of(s));
const mimeBundleSchema = z.record(z.string(), z.unknown());
const outputSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("stream"), name: z.enum(["stdout", "stderr"]), text: z.string() }),
  z.object({ type: z.literal("display"), data: mimeBundleSchema, displayId: z.string().optional() }),
  z.object({ type: z.literal("result"), data: mimeBundleSchema }),
  z.object({
    type: z.literal("error"),
    name: z.string(),
    message: z.string(),
    line: z.number().int().optional(),
    column: z.number().int().optional(),
    stack: z.string().optional(),
  }),
]);
const base = {
  id: cellIdSchema,
  source: z.string(),
  metadata: z.record(z.string(), z.unknown()).optional(),
};
const runnable = {
  outputs: z.array(outputSchema),
  executionCount: z.number().int().nullable().optional(),
};
const cellSchema = z.discriminatedUnion("kind", [
  z.object({ ...base, kind: z.literal("markdown"), raw: z.boolean().optional() }),
  z.object({ ...base, ...runnable, kind: z.literal("code") }),
  z.object({ ...base, ...runnable, kind: z.literal("sql") }),
  z.object({
    ...base,
    ...runnable,
    kind: z.literal("exercise"),
    starter: z.string(),
    check: z.string(),
    hints: z.array(z.string()),
    solution: z.string(),
    // A lesson exercise as the server sent it (lib/notebook/hidden.ts). `tests` is not listed:
    // a document from a browser can never carry hidden tests (zod drops unknown keys).
    hintCount: z.number().int().min(0).max(50).optional(),
    graded: z.boolean().optional(),
  }),
  z.object({
    ...base,
    kind: z.literal("quiz"),
    questions: z.array(
      z.object({
        prompt: z.string(),
        options: z.array(z.object({ text: z.string(), correct: z.boolean() })),
        explanation: z.string().optional(),
        timeLimitSec: z.number().int().min(5).max(240).optional(),
        points: z.union([z.literal(0), z.literal(1000), z.literal(2000)]).optional(),
      }),
    ),
  }),
]);
export const notebookDocumentSchema = z
  .object({
    format: z.literal(1),
    metadata: z.object({
      title: z.string(),
      locale: z.enum(["es", "en"]).optional(),
      lessonSlug: z.string().optional(),
      datasets: z.array(z.string()).optional(),
    }),
    cells: z.array(cellSchema),
  })
  .superRefine((doc, ctx) => {
    const seen = new Set<string>();
    doc.cells.forEach((c, i) => {
      if (seen.has(c.id)) ctx.addIssue({ code: "custom", path: ["cells", i, "id"], message: `duplicate cell id "${c.id}"` });
      seen.add(c.id);
    });
  });

export function serializeNotebook(doc: NotebookDocument): string {
  return JSON.stringify(doc);
}

/** Validates unknown data as a NotebookDocument (e.g. a DB row's JSON or an upload). */
export function parseNotebookOrThrow(input: unknown): NotebookDocument {
  const r = notebookDocumentSchema.safeParse(input);
  if (!r.success) {
    const first = r.error.issues.slice(0, 3).map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`);
    throw new NotebookFormatError(`invalid notebook: ${first.join("; ")}`);
  }
  return r.data as NotebookDocument;
}

export function parseNotebookJson(json: string): NotebookDocument {
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch (e) {
    throw new NotebookFormatError(`invalid notebook: not JSON (${(e as Error).message})`);
  }
  return parseNotebookOrThrow(data);
}
