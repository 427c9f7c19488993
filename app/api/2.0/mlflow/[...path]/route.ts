// MLflow REST 2.0 tracking API (see lib/server/services/tracking/mlflow-rest).
import { db, dbReady } from "@/lib/server/db";
import { getSessionUser } from "@/lib/server/auth";
import { handleMlflowRequest } from "@/lib/server/services/tracking/mlflow-rest";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

async function handler(req: Request): Promise<Response> {
  await dbReady;
  return handleMlflowRequest(req, { db, sessionUser: getSessionUser });
}

export { handler as GET, handler as POST };
