// Where a run artifact is read and written over HTTP: MLflow's artifact proxy, which serves it
// from whichever store (disk or S3) holds it. Each path segment is percent-encoded.
export const artifactUrl = (runId: string, path: string) =>
  `/api/2.0/mlflow-artifacts/artifacts/${encodeURIComponent(runId)}/${path.split("/").map(encodeURIComponent).join("/")}`;
