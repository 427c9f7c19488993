// The MLflow REST 2.0 tracking API under MLflow's web UI prefix (/ajax-api/2.0/mlflow/...), the
// same handler as app/api/2.0/mlflow (see lib/server/services/tracking/mlflow-rest).
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
