// The course's one-click challenges, read from content/challenges/<id>/ (challenge.json and the
// server-only hidden.csv). Nothing in that folder is served: only these functions read it.
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { metricOrThrow } from "@/lib/challenges/metrics";
import { parseTemplate, TEMPLATE_ID_RE, type ChallengeTemplate } from "@/lib/challenges/template";

const CHALLENGES_DIR = path.join(/*turbopackIgnore: true*/ process.cwd(), "content", "challenges");

let cached: Promise<ChallengeTemplate[]> | null = null;

async function loadTemplates(): Promise<ChallengeTemplate[]> {
  const entries = await readdir(CHALLENGES_DIR, { withFileTypes: true });
  const out: ChallengeTemplate[] = [];
  for (const e of entries) {
    if (!e.isDirectory() || !TEMPLATE_ID_RE.test(e.name)) continue;
    const json = JSON.parse(await readFile(path.join(CHALLENGES_DIR, e.name, "challenge.json"), "utf8")) as unknown;
    out.push(parseTemplate(json, e.name));
  }
  return out.sort((a, b) => (a.id < b.id ? -1 : 1));
}

/** Every template, in id order (read once per process). */
export function listTemplates(): Promise<ChallengeTemplate[]> {
  cached ??= loadTemplates();
  cached.catch(() => (cached = null));
  return cached;
}

export async function findTemplate(id: string): Promise<ChallengeTemplate | null> {
  if (!TEMPLATE_ID_RE.test(id)) return null;
  return (await listTemplates()).find((t) => t.id === id) ?? null;
}

/** The template's hidden rows (id + features + target) as CSV text. */
export async function readHiddenCsv(template: ChallengeTemplate): Promise<string> {
  return readFile(path.join(CHALLENGES_DIR, template.id, "hidden.csv"), "utf8");
}

export interface TemplateSummary {
  id: string;
  title: { es: string; en: string };
  description: { es: string; en: string };
  trainDataset: string;
  metric: string;
  metricName: string;
  hiddenRows: number;
}

/** What the instructor's "start a challenge" list shows (no hidden data). */
export async function templateSummaries(): Promise<TemplateSummary[]> {
  return (await listTemplates()).map((t) => ({
    id: t.id,
    title: t.title,
    description: t.description,
    trainDataset: t.trainDataset,
    metric: t.metric,
    metricName: metricOrThrow(t.metric).name,
    hiddenRows: t.hiddenRows,
  }));
}
