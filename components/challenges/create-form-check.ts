// Checks the "create from CSV" form before anything is sent: each problem is a message key under
// `challenges.create.problems`, so the instructor reads every mistake at once. The server checks
// all of it again (and the file's contents) and creates nothing when one fails.
import { METRICS, isMetricId, type MetricId } from "@/lib/challenges/metrics";
import type { CsvPreview } from "./csv-preview";
import { zonedLocalToInstant } from "@/lib/time-zone";

export interface CreateFormValues {
  title: string;
  description: string;
  targetColumn: string;
  /** "" while unchosen; GENERATE_IDS to let the server number the rows. */
  idColumn: string;
  metric: string;
  positiveLabel: string;
  /** datetime-local text, read in the class's time zone. */
  deadline: string;
  dailyLimit: string;
  publicPercent: string;
}

export const GENERATE_IDS = "\u0000generate";

export type CreateProblem =
  | "noFile"
  | "title"
  | "target"
  | "idColumn"
  | "sameColumn"
  | "metric"
  | "positiveLabel"
  | "deadline"
  | "deadlinePast"
  | "dailyLimit"
  | "publicShare";

export interface CreateChallengeInput {
  title: string;
  description: string;
  targetColumn: string;
  idColumn: string | null;
  metric: MetricId;
  positiveLabel: string | null;
  deadline: Date;
  dailyLimit: number;
  publicFraction: number;
}

/** Whether the metric scores one class against the rest (and so needs a positive label). */
export function needsPositiveLabel(metric: string): boolean {
  return isMetricId(metric) && METRICS[metric].task === "binary";
}

const INT_RE = /^\d{1,3}$/;

export function checkCreateForm(
  values: CreateFormValues,
  preview: CsvPreview | null,
  timeZone: string,
  now: Date,
): { ok: true; input: CreateChallengeInput } | { ok: false; problems: CreateProblem[] } {
  const problems: CreateProblem[] = [];
  if (!preview) problems.push("noFile");
  const title = values.title.trim();
  if (title.length < 2 || title.length > 120) problems.push("title");
  const columns = preview?.columns ?? [];
  if (preview && !columns.includes(values.targetColumn)) problems.push("target");
  const idColumn = values.idColumn === GENERATE_IDS ? null : values.idColumn;
  if (preview && idColumn !== null && !columns.includes(idColumn)) problems.push("idColumn");
  else if (idColumn !== null && idColumn === values.targetColumn) problems.push("sameColumn");
  if (!isMetricId(values.metric)) problems.push("metric");
  const positive = needsPositiveLabel(values.metric);
  if (positive && values.positiveLabel === "") problems.push("positiveLabel");
  const deadline = zonedLocalToInstant(values.deadline, timeZone);
  if (!deadline) problems.push("deadline");
  else if (deadline.getTime() <= now.getTime()) problems.push("deadlinePast");
  const dailyLimit = INT_RE.test(values.dailyLimit.trim()) ? Number(values.dailyLimit.trim()) : NaN;
  if (!(dailyLimit >= 1 && dailyLimit <= 100)) problems.push("dailyLimit");
  const percent = /^\d{1,2}(\.\d+)?$/.test(values.publicPercent.trim()) ? Number(values.publicPercent.trim()) : NaN;
  if (!(percent >= 5 && percent <= 95)) problems.push("publicShare");
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    input: {
      title,
      description: values.description.trim(),
      targetColumn: values.targetColumn,
      idColumn,
      metric: values.metric as MetricId,
      positiveLabel: positive ? values.positiveLabel : null,
      deadline: deadline!,
      dailyLimit,
      publicFraction: Math.round(percent * 100) / 10_000,
    },
  };
}
