// MLflow's artifact proxy for run artifacts (lib/server/services/tracking/mlflow-rest/artifacts-proxy.ts).
export { mlflowArtifactsRoute as GET, mlflowArtifactsRoute as PUT, mlflowArtifactsRoute as DELETE } from "@/lib/server/services/tracking/mlflow-rest/next-routes";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";
