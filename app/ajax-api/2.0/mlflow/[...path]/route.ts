// The MLflow REST 2.0 tracking API under MLflow's web UI prefix, /ajax-api/2.0/mlflow/.
export { mlflowRoute as GET, mlflowRoute as POST, mlflowRoute as PATCH, mlflowRoute as DELETE } from "@/lib/server/services/tracking/mlflow-rest/next-routes";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";
