// Instructors' CSV datasets (issue 15 point 7): POST uploads one (the body is the CSV, ≤ 50 MB;
// ?name=&origin=&licence=), GET /api/teach/datasets?lesson=<slug>&name=<name> serves one to those
// who may read the lesson (lib/server/services/teach/datasets.ts).
import { env } from "@/lib/env";
import { getSessionUser } from "@/lib/server/auth";
import { db, dbReady } from "@/lib/server/db";
import { isDomainError } from "@/lib/server/errors";
import { BodyTooLargeError, readBodyBytes } from "@/lib/server/read-body";
import { crossSiteWriteProblem, originOf } from "@/lib/server/same-origin";
import { datasetForLesson, uploadDataset } from "@/lib/server/services/teach/datasets";
import { MAX_DATASET_BYTES } from "@/lib/teach/dataset-csv";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", "cache-control": "no-store" } });

export async function POST(req: Request) {
  await dbReady;
  const user = await getSessionUser(req.headers);
  if (!user) return json(401, { error: { code: "unauthorized", message: "Sign in first" } });
  const problem = crossSiteWriteProblem(req, originOf(env.CUADERNO_URL), { requireJson: false });
  if (problem) {
    await req.body?.cancel().catch(() => {});
    return json(403, { error: { code: "forbidden", message: problem.message } });
  }
  const url = new URL(req.url);
  let bytes: Uint8Array;
  try {
    bytes = await readBodyBytes(req, MAX_DATASET_BYTES);
  } catch (e) {
    if (e instanceof BodyTooLargeError) return json(413, { error: { code: "invalidInput", key: "teach.errors.csvTooLarge", message: `The CSV is over ${MAX_DATASET_BYTES} bytes`, params: { limit: MAX_DATASET_BYTES } } });
    throw e;
  }
  try {
    const view = await uploadDataset({ db, user }, { name: url.searchParams.get("name") ?? "", origin: url.searchParams.get("origin") ?? "", licence: url.searchParams.get("licence") ?? "", bytes });
    return json(200, view);
  } catch (e) {
    if (!isDomainError(e)) throw e;
    const status = e.code === "forbidden" ? 403 : e.code === "conflict" ? 409 : 400;
    return json(status, { error: { code: e.code, key: e.detail?.key ?? null, message: e.message, params: e.detail?.params ?? {} } });
  }
}

export async function GET(req: Request) {
  await dbReady;
  const user = await getSessionUser(req.headers);
  const url = new URL(req.url);
  const found = await datasetForLesson({ db, user }, { lessonSlug: url.searchParams.get("lesson") ?? "", name: url.searchParams.get("name") ?? "" });
  if (!found) return new Response("Not found", { status: 404 });
  return new Response(Buffer.from(found.csv), { headers: { "content-type": "text/csv; charset=utf-8", etag: `"${found.sha256}"`, "cache-control": "private, no-store", "x-content-type-options": "nosniff" } });
}
