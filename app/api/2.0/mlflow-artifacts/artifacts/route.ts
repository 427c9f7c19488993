// MLflow's artifact listing, GET /api/2.0/mlflow-artifacts/artifacts?path=<folder> (files and DELETE are in [...path]).
export { mlflowArtifactsRoute as GET } from "@/lib/server/services/tracking/mlflow-rest/next-routes";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";
