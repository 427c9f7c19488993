// The class gradebook as a CSV download (instructor of the class only).
import { getSessionUser } from "@/lib/server/auth";
import { db, dbReady } from "@/lib/server/db";
import { handleGradebookCsv } from "@/lib/server/services/gradebook/csv-route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export async function GET(req: Request, { params }: { params: Promise<{ classId: string }> }) {
  await dbReady;
  return handleGradebookCsv(req, (await params).classId, { db, sessionUser: getSessionUser });
}
