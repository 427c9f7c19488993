// The gradebook as a CSV download: one row per student, headers in the instructor's language,
// the dialect of that language's spreadsheets (lib/gradebook/csv.ts says which and why).
import { toCsv, type CsvCell } from "@/lib/gradebook/csv";
import type { GradeItem } from "@/lib/gradebook/items";
import type { Locale } from "@/lib/i18n/routing";
import en from "@/lib/i18n/messages/en/gradebook.json";
import es from "@/lib/i18n/messages/es/gradebook.json";
import type { SignedInContext } from "@/lib/server/services/context";
import { classGradebook } from "./gradebook";
import type { ReadOptions } from "./read-rows";

const fill = (template: string, values: Record<string, string>) => template.replace(/\{(\w+)\}/g, (_, k: string) => values[k] ?? "");

function itemHeader(item: GradeItem, csv: typeof es.csv): string {
  switch (item.kind) {
    case "exercise":
      return fill(csv.exercise, { lesson: item.lessonTitle, exercise: item.title });
    case "challenge":
      return fill(item.inTotal ? csv.challengePercent : csv.challengeMetric, { title: item.title, metric: item.metric });
    case "quiz":
      return fill(csv.quiz, { title: item.title });
  }
}

/** Percent for items on the 0–1 scale, the metric's own value otherwise. */
const cellValue = (item: GradeItem, score: number | null) => (score === null ? null : item.inTotal ? score * 100 : score);

export async function gradebookCsvFile(ctx: SignedInContext, classId: string, options: ReadOptions): Promise<{ fileName: string; text: string }> {
  const book = await classGradebook(ctx, classId, options);
  const csv = (options.locale === "en" ? en : es).csv;
  const header = [csv.student, csv.email, ...book.items.map((i) => itemHeader(i, csv)), csv.total, csv.lateItems];
  const rows: CsvCell[][] = book.students.map((s) => [
    { text: s.name },
    { text: s.email },
    ...book.items.map((i) => ({ number: cellValue(i, s.cells[i.key]!.score) })),
    { number: s.total.total * 100 },
    { number: book.items.filter((i) => s.cells[i.key]!.computed.late).length },
  ]);
  return { fileName: `${fill(csv.fileName, { className: book.className })}.csv`, text: toCsv(header, rows, options.locale as Locale) };
}
