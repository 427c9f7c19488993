// MLflow REST 2.0 tracking and Model Registry API (lib/server/services/tracking/mlflow-rest; PATCH and DELETE are the registry's).
export { mlflowRoute as GET, mlflowRoute as POST, mlflowRoute as PATCH, mlflowRoute as DELETE } from "@/lib/server/services/tracking/mlflow-rest/next-routes";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";
