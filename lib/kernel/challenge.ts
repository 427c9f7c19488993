// The `challenge` global: a class's model challenges from a notebook. `challenge.submit(id, preds)`
// posts predictions to the server (same origin, the session cookie), which scores them on labels
// the browser never sees and answers with the public score; `challenge.list()` names the
// challenges of the student's classes; `data.load("challenge:<id>")` gets the test features.

import type { TableDataset } from "@/lib/datasets/types";
import { parseCsvDataset } from "./data";

export interface ChallengeApiOptions {
  fetch?: typeof fetch;
  /** Prefix of the app's routes; "" means same origin. */
  baseUrl?: string;
}

export interface ChallengeSubmitResult {
  publicScore: number;
  remainingToday: number;
  attempt: number;
  dailyLimit: number;
  /** When today's limit resets (ISO time; midnight in the class's time zone). */
  resetsAt: string;
  submissionId: string;
}

export interface ChallengeSummary {
  id: string;
  title: string;
  className: string;
  metric: string;
  higherIsBetter: boolean;
  /** What a prediction must be: 0/1 decisions, scores, probabilities or numbers. */
  predictionKind: string;
  idColumn: string;
  trainDataset: string | null;
  deadline: string;
  closed: boolean;
  remainingToday: number;
  bestPublicScore: number | null;
}

export interface ChallengeApi {
  submit(id: string, predictions: unknown): Promise<ChallengeSubmitResult>;
  list(): Promise<ChallengeSummary[]>;
  /** The test features as a table (what `data.load("challenge:<id>")` returns). */
  features(id: string): Promise<TableDataset>;
}

const ID_RE = /^[\w-]{1,64}$/;

function checkId(id: unknown): string {
  if (typeof id !== "string" || !ID_RE.test(id)) throw new Error(`challenge: "${String(id)}" is not a challenge id (see challenge.list())`);
  return id;
}

/** JSON has no NaN or Infinity: send them as text so the server can say exactly what is wrong. */
function jsonNumber(v: number): number | string {
  return Number.isFinite(v) ? v : Number.isNaN(v) ? "NaN" : v > 0 ? "Infinity" : "-Infinity";
}

/**
 * Predictions as plain JSON: numbers (a list, typed array, tensor or [n, 1] column) in the order of
 * the features file, or `{ id, prediction }` rows.
 */
export function predictionsPayload(predictions: unknown): unknown[] {
  let value = predictions;
  if (value && typeof value === "object" && typeof (value as { arraySync?: unknown }).arraySync === "function") {
    value = (value as { arraySync(): unknown }).arraySync();
  }
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) value = Array.from(value as unknown as ArrayLike<number>);
  if (!Array.isArray(value)) throw new Error("challenge.submit: predictions must be a list of numbers (one per test row) or of { id, prediction } rows");
  return value.map((v: unknown) => {
    if (typeof v === "number") return jsonNumber(v);
    if (Array.isArray(v) && v.length === 1 && typeof v[0] === "number") return jsonNumber(v[0]);
    if (v && typeof v === "object" && !Array.isArray(v) && "id" in v) {
      const row = v as { id: unknown; prediction?: unknown };
      return { id: row.id, prediction: typeof row.prediction === "number" ? jsonNumber(row.prediction) : row.prediction };
    }
    return v;
  });
}

async function errorMessage(res: Response): Promise<string> {
  try {
    const body = (await res.json()) as { error?: { message?: string } };
    if (body.error?.message) return body.error.message;
  } catch {
    // not JSON
  }
  return `HTTP ${res.status}`;
}

export function createChallengeApi(options: ChallengeApiOptions = {}): ChallengeApi {
  const doFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  const base = `${options.baseUrl ?? ""}/api/challenges`;
  return {
    async submit(id, predictions) {
      const challengeId = checkId(id);
      const body = JSON.stringify({ predictions: predictionsPayload(predictions) });
      const res = await doFetch(`${base}/${challengeId}/submissions`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        credentials: "same-origin",
        body,
      });
      if (!res.ok) throw new Error(`challenge.submit: ${await errorMessage(res)}`);
      const r = (await res.json()) as ChallengeSubmitResult;
      return {
        publicScore: r.publicScore,
        remainingToday: r.remainingToday,
        attempt: r.attempt,
        dailyLimit: r.dailyLimit,
        resetsAt: String(r.resetsAt),
        submissionId: r.submissionId,
      };
    },
    async list() {
      const res = await doFetch(base, { credentials: "same-origin" });
      if (!res.ok) throw new Error(`challenge.list: ${await errorMessage(res)}`);
      const rows = (await res.json()) as (ChallengeSummary & Record<string, unknown>)[];
      return rows.map((c) => ({
        id: c.id,
        title: c.title,
        className: c.className,
        metric: c.metric,
        higherIsBetter: c.higherIsBetter,
        predictionKind: c.predictionKind,
        idColumn: c.idColumn,
        trainDataset: c.trainDataset,
        deadline: String(c.deadline),
        closed: c.closed,
        remainingToday: c.remainingToday,
        bestPublicScore: c.bestPublicScore,
      }));
    },
    async features(id) {
      const challengeId = checkId(id);
      const res = await doFetch(`${base}/${challengeId}/features.csv`, { credentials: "same-origin" });
      if (!res.ok) throw new Error(`Challenge "${challengeId}": the test features could not be loaded (${await errorMessage(res)})`);
      return parseCsvDataset(`challenge_${challengeId}`, await res.text());
    },
  };
}
