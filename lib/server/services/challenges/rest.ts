// The challenges' REST side, for what tRPC does not carry well: CSV downloads (a link, and the
// notebook's `data.load("challenge:<id>")`), file uploads (multipart or text/csv) and the
// notebook's `challenge.submit` / `challenge.list`. Session cookie only; every write must come
// from the app's own pages (Origin / Sec-Fetch-Site). Same services as the tRPC router.
//
//   GET  /api/challenges[?classId=]             the caller's challenges (JSON)
//   POST /api/challenges                        instructor: multipart upload → new challenge
//   GET  /api/challenges/<id>/features.csv      test features (id + features)
//   GET  /api/challenges/<id>/train.csv         labelled train part (uploaded challenges)
//   POST /api/challenges/<id>/submissions       predictions: text/csv, multipart `file`, or JSON { predictions | csv }
import { z } from "zod";
import { ChallengeProblem } from "@/lib/challenges/errors";
import { METRIC_IDS } from "@/lib/challenges/metrics";
import { MAX_PREDICTIONS_BYTES, MAX_TEST_ROWS } from "@/lib/challenges/predictions";
import { env } from "@/lib/env";
import en from "@/lib/i18n/messages/en/challenges.json";
import es from "@/lib/i18n/messages/es/challenges.json";
import { negotiateLocale } from "@/lib/i18n/negotiate";
import type { SessionUser } from "@/lib/server/auth";
import type { Db } from "@/lib/server/db";
import { DomainError, isDomainError } from "@/lib/server/errors";
import { BodyTooLargeError, readBodyBytes } from "@/lib/server/read-body";
import { crossSiteWriteProblem, mediaType, originOf } from "@/lib/server/same-origin";
import type { SignedInContext } from "@/lib/server/services/context";
import { problemError } from "./access";
import { createFromCsv } from "./create";
import { REST_UPLOAD_MAX_BYTES } from "./limits";
import { featuresFile, listChallenges, listMyChallenges, trainFile } from "./read";
import { submitPredictions, type SubmissionPayload } from "./submit";

export interface ChallengeRestDeps {
  db: Db;
  sessionUser(headers: Headers): Promise<SessionUser | null>;
  /** Default: env.CUADERNO_URL's origin. */
  appOrigin?: string;
  now?: () => Date;
}

const statusFor: Record<string, number> = {
  notFound: 404,
  forbidden: 403,
  unauthorized: 401,
  invalidInput: 400,
  rateLimited: 429,
  conflict: 409,
};

const errorMessages = { es: es.errors as Record<string, string>, en: en.errors as Record<string, string> };

function translate(req: Request, e: DomainError): string {
  const key = e.detail?.key.startsWith("challenges.errors.") ? e.detail.key.slice("challenges.errors.".length) : null;
  const template = key ? errorMessages[negotiateLocale(req.headers.get("accept-language"))][key] : undefined;
  if (!template) return e.message;
  const params = e.detail?.params ?? {};
  return template.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff" },
  });

function errorResponse(req: Request, e: DomainError): Response {
  const code = e.detail?.key.replace(/^challenges\.errors\./, "") ?? e.code;
  return json(statusFor[e.code] ?? 400, { error: { code, message: translate(req, e), params: e.detail?.params ?? {} } });
}

function csvResponse(fileName: string, csv: string): Response {
  return new Response(csv, {
    status: 200,
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${fileName.replace(/[^\w.-]/g, "_")}"`,
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}

const ID_RE = /^[\w-]{1,64}$/;

function tooLarge(limit: number): DomainError {
  return problemError(new ChallengeProblem("tooLarge", `The request is larger than ${Math.round(limit / 1024 / 1024)} MB`, { maxMb: Math.round(limit / 1024 / 1024), bytes: limit }));
}

/** The uploaded file's text from a multipart body (`file` field), or the whole body for text/csv. */
async function fileText(req: Request, maxBytes: number): Promise<{ text: string; form: FormData | null }> {
  const type = mediaType(req.headers.get("content-type"));
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    // Room for the multipart envelope and the settings fields.
    bytes = await readBodyBytes(req, maxBytes + 64 * 1024);
  } catch (e) {
    if (e instanceof BodyTooLargeError) throw tooLarge(maxBytes);
    throw e;
  }
  if (type === "multipart/form-data") {
    let form: FormData;
    try {
      form = await new Request("http://upload.local/", { method: "POST", headers: { "content-type": req.headers.get("content-type")! }, body: bytes }).formData();
    } catch {
      throw new DomainError("invalidInput", "The upload is not a readable multipart form", { key: "challenges.errors.badCsv", params: { detail: "multipart" } });
    }
    const file = form.get("file");
    if (file === null) throw problemError(new ChallengeProblem("empty", "The form has no `file` field", {}));
    const text = typeof file === "string" ? file : await file.text();
    if (new TextEncoder().encode(text).byteLength > maxBytes) throw tooLarge(maxBytes);
    return { text, form };
  }
  if (bytes.byteLength > maxBytes) throw tooLarge(maxBytes);
  return { text: new TextDecoder().decode(bytes), form: null };
}

const submissionJson = z.union([
  z.object({ predictions: z.array(z.unknown()).max(MAX_TEST_ROWS) }),
  z.object({ csv: z.string().max(MAX_PREDICTIONS_BYTES) }),
]);

async function submission(req: Request, ctx: SignedInContext, challengeId: string): Promise<Response> {
  const type = mediaType(req.headers.get("content-type"));
  let payload: SubmissionPayload;
  let source: "notebook" | "csv";
  if (type === "application/json") {
    let bytes: Uint8Array<ArrayBuffer>;
    try {
      // A JSON list of numbers for 200,000 rows is well under this.
      bytes = await readBodyBytes(req, 2 * MAX_PREDICTIONS_BYTES);
    } catch (e) {
      if (e instanceof BodyTooLargeError) throw tooLarge(2 * MAX_PREDICTIONS_BYTES);
      throw e;
    }
    let body: unknown;
    try {
      body = JSON.parse(new TextDecoder().decode(bytes));
    } catch {
      throw new DomainError("invalidInput", "The body is not valid JSON", { key: "challenges.errors.badCsv", params: { detail: "JSON" } });
    }
    const parsed = submissionJson.safeParse(body);
    if (!parsed.success) throw new DomainError("invalidInput", "Send { predictions: [...] } or { csv: \"id,prediction\\n…\" }", { key: "challenges.errors.empty", params: {} });
    payload = "csv" in parsed.data ? { csv: parsed.data.csv } : { predictions: parsed.data.predictions };
    source = req.headers.get("x-cuaderno-source") === "csv" ? "csv" : "notebook";
  } else {
    payload = { csv: (await fileText(req, MAX_PREDICTIONS_BYTES)).text };
    source = "csv";
  }
  const result = await submitPredictions(ctx, { challengeId, payload, source });
  return json(200, result);
}

const optionalNumber = (schema: z.ZodNumber) => z.preprocess((v) => (v === null || v === "" || v === undefined ? undefined : Number(v)), schema.optional());
const uploadFields = z.object({
  classId: z.string().min(1).max(64),
  title: z.string().trim().min(2).max(120),
  description: z.string().max(5_000).optional(),
  targetColumn: z.string().min(1).max(200),
  idColumn: z.preprocess((v) => (v === "" || v === undefined ? null : v), z.string().min(1).max(200).nullable()),
  metric: z.enum(METRIC_IDS),
  positiveLabel: z.preprocess((v) => (v === "" || v === undefined ? null : v), z.string().max(200).nullable()),
  deadline: z.preprocess((v) => (v === "" || v === undefined || v === null ? undefined : new Date(String(v))), z.date().optional()),
  dailyLimit: optionalNumber(z.number().int().min(1).max(100)),
  publicFraction: optionalNumber(z.number().min(0.05).max(0.95)),
  testFraction: optionalNumber(z.number().min(0.05).max(0.95)),
});

async function upload(req: Request, ctx: SignedInContext): Promise<Response> {
  if (mediaType(req.headers.get("content-type")) !== "multipart/form-data") {
    throw new DomainError("invalidInput", "Upload a multipart/form-data form with a `file` field", { key: "challenges.errors.badCsv", params: { detail: "multipart/form-data" } });
  }
  const { text, form } = await fileText(req, REST_UPLOAD_MAX_BYTES);
  const fields: Record<string, unknown> = {};
  for (const key of Object.keys(uploadFields.shape)) {
    const v = form!.get(key);
    if (typeof v === "string") fields[key] = v;
  }
  const parsed = uploadFields.safeParse(fields);
  if (!parsed.success) {
    const field = parsed.error.issues[0]?.path.join(".") ?? "?";
    throw new DomainError("invalidInput", `Invalid form field "${field}"`, { key: "challenges.errors.badCsv", params: { detail: field } });
  }
  if (ctx.user.role !== "instructor") throw new DomainError("forbidden");
  return json(200, await createFromCsv(ctx, { ...parsed.data, csv: text }));
}

/** Answers a request under /api/challenges (the Next route files only call this). */
export async function handleChallengesRequest(req: Request, deps: ChallengeRestDeps): Promise<Response> {
  try {
    const url = new URL(req.url);
    const parts = url.pathname.replace(/\/+$/, "").split("/").slice(3); // after "", "api", "challenges"
    const user = await deps.sessionUser(req.headers);
    if (!user) return json(401, { error: { code: "unauthorized", message: "Sign in first", params: {} } });
    const ctx: SignedInContext = { db: deps.db, user, ...(deps.now ? { now: deps.now } : {}) };
    if (req.method === "POST") {
      const problem = crossSiteWriteProblem(req, deps.appOrigin ?? originOf(env.CUADERNO_URL), { requireJson: false });
      if (problem) {
        await req.body?.cancel().catch(() => {});
        return json(403, { error: { code: "forbidden", message: problem.message, params: {} } });
      }
    }
    if (parts.length === 0) {
      if (req.method === "GET") {
        const classId = url.searchParams.get("classId");
        if (classId !== null && !ID_RE.test(classId)) throw new DomainError("notFound");
        return json(200, classId ? await listChallenges(ctx, classId) : await listMyChallenges(ctx));
      }
      if (req.method === "POST") return await upload(req, ctx);
    } else if (parts.length === 2 && ID_RE.test(parts[0])) {
      const [id, leaf] = parts;
      if (req.method === "GET" && leaf === "features.csv") {
        const f = await featuresFile(ctx, id);
        return csvResponse(f.fileName, f.csv);
      }
      if (req.method === "GET" && leaf === "train.csv") {
        const f = await trainFile(ctx, id);
        return csvResponse(f.fileName, f.csv);
      }
      if (req.method === "POST" && leaf === "submissions") return await submission(req, ctx, id);
    }
    return json(req.method === "GET" || req.method === "POST" ? 404 : 405, { error: { code: "notFound", message: "No such challenge route", params: {} } });
  } catch (e) {
    if (isDomainError(e)) return errorResponse(req, e);
    throw e;
  }
}
