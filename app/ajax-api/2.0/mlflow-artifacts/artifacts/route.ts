// MLflow's artifact listing under the web UI prefix, `GET /ajax-api/2.0/mlflow-artifacts/artifacts?path=<folder>`
// (see lib/server/services/tracking/mlflow-rest/artifacts-proxy.ts; files and DELETE are in [...path]).
import { db, dbReady } from "@/lib/server/db";
import { getSessionUser } from "@/lib/server/auth";
import { handleMlflowArtifactsRequest } from "@/lib/server/services/tracking/mlflow-rest/artifacts-proxy";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

async function handler(req: Request): Promise<Response> {
  await dbReady;
  return handleMlflowArtifactsRequest(req, { db, sessionUser: getSessionUser });
}

export { handler as GET };
