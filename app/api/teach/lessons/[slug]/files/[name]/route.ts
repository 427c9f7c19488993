// An authored lesson's image (issue 15 point 2): GET for whoever may read the lesson, POST (the
// image's bytes as the body, ≤ 2 MB) for its editors.
import { env } from "@/lib/env";
import { getSessionUser } from "@/lib/server/auth";
import { db, dbReady } from "@/lib/server/db";
import { isDomainError } from "@/lib/server/errors";
import { BodyTooLargeError, readBodyBytes } from "@/lib/server/read-body";
import { crossSiteWriteProblem, originOf } from "@/lib/server/same-origin";
import { lessonImage, uploadImage } from "@/lib/server/services/teach/files";
import { MAX_IMAGE_BYTES } from "@/lib/teach/zip";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

type Params = { params: Promise<{ slug: string; name: string }> };
const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", "cache-control": "no-store" } });

export async function GET(req: Request, { params }: Params) {
  await dbReady;
  const { slug, name } = await params;
  const image = await lessonImage({ db, user: await getSessionUser(req.headers) }, { slug, name });
  if (!image) return new Response("Not found", { status: 404 });
  return new Response(Buffer.from(image.data), {
    headers: { "content-type": image.contentType, etag: `"${image.sha256}"`, "cache-control": "private, max-age=300", "x-content-type-options": "nosniff", "content-security-policy": "default-src 'none'" },
  });
}

export async function POST(req: Request, { params }: Params) {
  await dbReady;
  const user = await getSessionUser(req.headers);
  if (!user) return json(401, { error: { code: "unauthorized", message: "Sign in first" } });
  const problem = crossSiteWriteProblem(req, originOf(env.CUADERNO_URL), { requireJson: false });
  if (problem) {
    await req.body?.cancel().catch(() => {});
    return json(403, { error: { code: "forbidden", message: problem.message } });
  }
  const { slug, name } = await params;
  let bytes: Uint8Array;
  try {
    bytes = await readBodyBytes(req, MAX_IMAGE_BYTES);
  } catch (e) {
    if (e instanceof BodyTooLargeError) return json(413, { error: { code: "invalidInput", key: "teach.errors.tooLarge", message: `The image is over ${MAX_IMAGE_BYTES} bytes`, params: { file: name, limit: MAX_IMAGE_BYTES } } });
    throw e;
  }
  try {
    return json(200, await uploadImage({ db, user }, { slug, name, bytes }));
  } catch (e) {
    if (!isDomainError(e)) throw e;
    return json(e.code === "notFound" ? 404 : 400, { error: { code: e.code, key: e.detail?.key ?? null, message: e.message, params: e.detail?.params ?? {} } });
  }
}
