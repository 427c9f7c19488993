// A live game's results as a CSV download (its host only; anyone else: 404).
import { contentDisposition } from "@/lib/gradebook/csv";
import { getSessionUser } from "@/lib/server/auth";
import { db, dbReady } from "@/lib/server/db";
import { isDomainError } from "@/lib/server/errors";
import { gameResultsCsv } from "@/lib/server/services/quiz-sets/live-games";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const problem = (status: number, message: string) =>
  new Response(JSON.stringify({ error: message }), { status, headers: { "content-type": "application/json", "cache-control": "no-store" } });

export async function GET(req: Request, { params }: { params: Promise<{ gameId: string }> }) {
  await dbReady;
  const { gameId } = await params;
  const user = await getSessionUser(req.headers);
  if (!user) return problem(401, "Sign in first");
  if (!/^[\w-]{1,40}$/.test(gameId) || user.role !== "instructor") return problem(404, "Not found");
  const locale = new URL(req.url).searchParams.get("locale") === "en" ? "en" : "es";
  try {
    const { fileName, text } = await gameResultsCsv({ db, user }, gameId, locale);
    return new Response(text, {
      status: 200,
      headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": contentDisposition(fileName), "cache-control": "private, no-store", "x-content-type-options": "nosniff" },
    });
  } catch (e) {
    if (isDomainError(e) && (e.code === "notFound" || e.code === "forbidden")) return problem(404, "Not found");
    throw e;
  }
}
