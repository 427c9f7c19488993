// Service objects → MLflow REST 2.0 JSON (snake_case, ids as strings, times in ms, non-finite
// metric values as protobuf-JSON strings "NaN" / "Infinity" / "-Infinity"). Empty lists and
// unset optional fields are left out, as protobuf's JSON does.
import type { ExperimentInfo } from "../experiments";
import type { DatasetInput } from "../inputs";
import type { RunInfo, RunWithData } from "../runs";
import type { MetricPoint } from "../values";

export const metricValueJson = (v: number): number | string => (Number.isFinite(v) ? v : Number.isNaN(v) ? "NaN" : v > 0 ? "Infinity" : "-Infinity");

export const metricJson = (m: MetricPoint) => ({ key: m.key, value: metricValueJson(m.value), timestamp: m.timestamp, step: m.step });

/**
 * MLflow's Default experiment is "0". A user's Default is private (no class), so whoever reads it
 * is its owner: it is "0" to them wherever it appears, and "0" in a request means it (handlers.ts).
 */
export const DEFAULT_EXPERIMENT_ID = "0";

export const experimentJson = (e: ExperimentInfo) => ({
  experiment_id: e.defaultForUserId ? DEFAULT_EXPERIMENT_ID : String(e.id),
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
  experiment_id: i.inDefaultExperiment ? DEFAULT_EXPERIMENT_ID : String(i.experimentId),
  run_name: i.runName,
  user_id: i.userId,
  status: i.status,
  start_time: i.startTime,
  ...(i.endTime === null ? {} : { end_time: i.endTime }),
  artifact_uri: i.artifactUri,
  lifecycle_stage: i.lifecycleStage,
});

export const datasetInputJson = ({ dataset: d, tags }: DatasetInput) => ({
  ...(tags.length ? { tags } : {}),
  dataset: {
    name: d.name,
    digest: d.digest,
    source_type: d.sourceType,
    source: d.source,
    ...(d.schema === null ? {} : { schema: d.schema }),
    ...(d.profile === null ? {} : { profile: d.profile }),
  },
});

export const runJson = (r: RunWithData) => ({
  info: runInfoJson(r.info),
  data: { metrics: r.metrics.map(metricJson), params: r.params, tags: r.tags },
  inputs: r.inputs.length ? { dataset_inputs: r.inputs.map(datasetInputJson) } : {},
});
