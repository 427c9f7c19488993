// MLflow REST 2.0 tracking API (lib/server/services/tracking/mlflow-rest).
export { mlflowRoute as GET, mlflowRoute as POST } from "@/lib/server/services/tracking/mlflow-rest/next-routes";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";
