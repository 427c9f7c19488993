// MLflow's artifact listing under the web UI prefix, GET /ajax-api/2.0/mlflow-artifacts/artifacts?path=<folder>.
export { mlflowArtifactsRoute as GET } from "@/lib/server/services/tracking/mlflow-rest/next-routes";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";
