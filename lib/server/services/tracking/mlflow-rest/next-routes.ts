// The Next route handlers of the MLflow API and artifact proxy, wired to the process's database
// and session. One module for the route files under app/api/2.0/ and app/ajax-api/2.0/ (MLflow's
// web UI prefix), which only re-export these; `npm start` answers the same paths from the lean
// layer (lib/server/http/mlflow-routes.ts), so these serve `next dev` and unusual spellings.
import { db, dbReady } from "@/lib/server/db";
import { getSessionUser } from "@/lib/server/auth";
import { handleMlflowRequest } from "./index";
import { handleMlflowArtifactsRequest } from "./artifacts-proxy";

export async function mlflowRoute(req: Request): Promise<Response> {
  await dbReady;
  return handleMlflowRequest(req, { db, sessionUser: getSessionUser });
}

export async function mlflowArtifactsRoute(req: Request): Promise<Response> {
  await dbReady;
  return handleMlflowArtifactsRequest(req, { db, sessionUser: getSessionUser });
}
