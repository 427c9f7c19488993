// Reads the header and a few facts of a CSV the instructor picked, in the browser, so the form
// can offer its columns (target, id) and the target's values (positive label). The server
// parses and checks the file again; this only shapes the choices.
import { parseCsv } from "@/lib/datasets/csv";

export interface CsvPreview {
  columns: string[];
  rowCount: number;
  /** Up to 20 distinct values per column, as text, in first-seen order. */
  values: Record<string, string[]>;
}

export type CsvPreviewResult = { ok: true; preview: CsvPreview } | { ok: false; problem: "empty" | "unreadable" | "tooFewColumns" | "noRows" };

export function readCsvPreview(text: string): CsvPreviewResult {
  let parsed;
  try {
    parsed = parseCsv(text, { infer: false });
  } catch {
    return { ok: false, problem: "unreadable" };
  }
  if (parsed.columns.length === 0) return { ok: false, problem: "empty" };
  if (parsed.columns.length < 2) return { ok: false, problem: "tooFewColumns" };
  if (parsed.rows.length === 0) return { ok: false, problem: "noRows" };
  const values: Record<string, string[]> = {};
  for (const c of parsed.columns) {
    const seen = new Set<string>();
    for (const row of parsed.rows) {
      const v = row[c];
      if (v === null || v === undefined) continue;
      seen.add(String(v));
      if (seen.size >= 20) break;
    }
    values[c] = [...seen];
  }
  return { ok: true, preview: { columns: parsed.columns, rowCount: parsed.rows.length, values } };
}

/** A column that looks like an identifier ("id", "transaction_id"…), else null. */
export function guessIdColumn(columns: readonly string[]): string | null {
  return columns.find((c) => /^id$/i.test(c)) ?? columns.find((c) => /(^|_)id$/i.test(c)) ?? null;
}
