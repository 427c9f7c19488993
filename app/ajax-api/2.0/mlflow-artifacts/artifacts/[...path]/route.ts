// MLflow's artifact proxy under the web UI prefix /ajax-api/2.0/.
export { mlflowArtifactsRoute as GET, mlflowArtifactsRoute as PUT, mlflowArtifactsRoute as DELETE } from "@/lib/server/services/tracking/mlflow-rest/next-routes";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";
