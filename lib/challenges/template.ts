// The shape of content/challenges/<id>/challenge.json: what an instructor's one-click challenge
// is made of. The hidden rows sit beside it in hidden.csv (server-only; never served).

import { isMetricId, type MetricId } from "./metrics";

export interface LocalizedText {
  es: string;
  en: string;
}

export interface ChallengeTemplate {
  id: string;
  title: LocalizedText;
  description: LocalizedText;
  /** Course dataset students train on (content/datasets catalog name). */
  trainDataset: string;
  targetColumn: string;
  idColumn: string;
  metric: MetricId;
  /** The class scored as positive, as text; null for regression. */
  positiveLabel: string | null;
  /** Rows in hidden.csv and how they were made (written by scripts/challenges/build-templates.ts). */
  hiddenRows: number;
  balance: Record<string, number> | null;
  origin: { script: string; generator: string; seed: number };
}

export const TEMPLATE_ID_RE = /^[a-z0-9][a-z0-9-]{0,63}$/;

/** Validates a parsed challenge.json (a file on disk is still input). */
export function parseTemplate(json: unknown, dirName: string): ChallengeTemplate {
  const t = json as Partial<ChallengeTemplate> | null;
  const text = (v: unknown): v is LocalizedText => typeof v === "object" && v !== null && typeof (v as LocalizedText).es === "string" && typeof (v as LocalizedText).en === "string";
  if (
    !t ||
    t.id !== dirName ||
    !TEMPLATE_ID_RE.test(dirName) ||
    !text(t.title) ||
    !text(t.description) ||
    typeof t.trainDataset !== "string" ||
    typeof t.targetColumn !== "string" ||
    typeof t.idColumn !== "string" ||
    typeof t.metric !== "string" ||
    !isMetricId(t.metric) ||
    !(t.positiveLabel === null || typeof t.positiveLabel === "string") ||
    typeof t.hiddenRows !== "number"
  ) {
    throw new Error(`content/challenges/${dirName}/challenge.json is not a valid challenge template`);
  }
  return t as ChallengeTemplate;
}
