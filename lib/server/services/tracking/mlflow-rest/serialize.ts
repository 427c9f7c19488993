// Service objects → MLflow REST 2.0 JSON (snake_case, ids as strings, times in ms, non-finite
// metric values as protobuf-JSON strings "NaN" / "Infinity" / "-Infinity").
import type { ExperimentInfo } from "../experiments";
import type { RunInfo, RunWithData } from "../runs";
import type { MetricPoint } from "../values";

export const metricValueJson = (v: number): number | string => (Number.isFinite(v) ? v : Number.isNaN(v) ? "NaN" : v > 0 ? "Infinity" : "-Infinity");

export const metricJson = (m: MetricPoint) => ({ key: m.key, value: metricValueJson(m.value), timestamp: m.timestamp, step: m.step });

export const experimentJson = (e: ExperimentInfo) => ({
  experiment_id: String(e.id),
  name: e.name,
  artifact_location: e.artifactLocation,
  lifecycle_stage: e.lifecycleStage,
  last_update_time: e.lastUpdateTime,
  creation_time: e.creationTime,
  tags: e.tags,
});

export const runInfoJson = (i: RunInfo) => ({
  run_id: i.runId,
  run_uuid: i.runId,
  experiment_id: String(i.experimentId),
  run_name: i.runName,
  user_id: i.userId,
  status: i.status,
  start_time: i.startTime,
  ...(i.endTime === null ? {} : { end_time: i.endTime }),
  artifact_uri: i.artifactUri,
  lifecycle_stage: i.lifecycleStage,
});

export const runJson = (r: RunWithData) => ({
  info: runInfoJson(r.info),
  data: { metrics: r.metrics.map(metricJson), params: r.params, tags: r.tags },
  inputs: {},
});
