// A lesson as its folder zip (issue 15 point 8): its editors only; ?version=N for a published version.
import { getSessionUser } from "@/lib/server/auth";
import { db, dbReady } from "@/lib/server/db";
import { isDomainError } from "@/lib/server/errors";
import { exportZip } from "@/lib/server/services/teach/drafts";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export async function GET(req: Request, { params }: { params: Promise<{ slug: string }> }) {
  await dbReady;
  const user = await getSessionUser(req.headers);
  if (!user) return new Response("Sign in first", { status: 401 });
  const raw = new URL(req.url).searchParams.get("version");
  const version = raw && /^\d{1,7}$/.test(raw) ? Number(raw) : undefined;
  try {
    const { filename, bytes } = await exportZip({ db, user }, { slug: (await params).slug, ...(version ? { version } : {}) });
    return new Response(Buffer.from(bytes), {
      headers: { "content-type": "application/zip", "content-disposition": `attachment; filename="${filename}"`, "cache-control": "private, no-store", "x-content-type-options": "nosniff" },
    });
  } catch (e) {
    if (isDomainError(e)) return new Response("Not found", { status: 404 });
    throw e;
  }
}
