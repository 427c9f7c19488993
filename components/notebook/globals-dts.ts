// Declarations of the kernel's globals for Monaco's TypeScript service (completion and hover).
// Hand-written from content/lessons/README.md; `tf` and `ml` are declared at module level.
export const NOTEBOOK_GLOBALS_DTS = `
type Cell = number | string | boolean | null;
interface TableDataset {
  kind: "table"; name: string;
  /** Column names, in file order. */
  columns: string[];
  /** One object per row. */
  rows: Record<string, Cell>[];
  /** All values of one column. */
  column(name: string): Cell[];
  /** Numeric features, row-major (booleans as 0/1, missing as NaN). */
  matrix(columns: string[]): number[][];
}
interface ImageDataset {
  kind: "images"; name: string;
  count: number; height: number; width: number;
  /** count*height*width values in [0,1]. */
  images: Float32Array;
  labels: Int32Array;
}
interface ChartOptions { title?: string; xLabel?: string; yLabel?: string }
/** Datasets served by Cuaderno: fraud, magnet-signals, split-200, digits, sales-daily, … */
declare const data: {
  /** Loads a dataset by name: \`const fraud = await data.load("fraud")\`. */
  load(name: string): Promise<TableDataset & ImageDataset>;
  /** Names of the datasets registered so far. */
  list(): string[];
};
/** Runs SQL on DuckDB-Wasm; loaded datasets are tables by name. \`await sql\\\`SELECT count(*) FROM fraud\\\`\` */
declare function sql(strings: TemplateStringsArray, ...values: unknown[]): Promise<TableDataset>;
/** Outputs: each call appends an output to the running cell. */
declare const show: {
  table(rowsOrDataset: Record<string, unknown>[] | TableDataset, options?: { title?: string; pageSize?: number }): void;
  line(data: { x: number[]; series: Record<string, number[]> }, options?: ChartOptions): void;
  scatter(data: { x: number[]; y: number[]; color?: (string | number)[] }, options?: ChartOptions): void;
  bar(data: { labels: string[]; values: number[] }, options?: { title?: string }): void;
  histogram(values: number[], options?: { bins?: number; title?: string }): void;
  /** A tfjs callback drawing live training curves: \`model.fit(x, y, { callbacks: [show.history()] })\`. */
  history(options?: { metrics?: string[]; title?: string }): any;
  confusion(matrix: number[][], labels: (string | number)[], options?: { title?: string }): void;
  /** ROC curve, AUC in the title. */
  roc(yTrue: number[], scores: number[], options?: { title?: string }): void;
  /** Precision-recall curve and average precision. */
  pr(yTrue: number[], scores: number[], options?: { title?: string }): void;
  images(tensorOrArray: unknown, options?: { cols?: number; labels?: (string | number)[]; height?: number; width?: number }): void;
  markdown(text: string): void;
  /** Sanitized before it is shown. */
  html(html: string): void;
  json(value: unknown): void;
};
interface TrackRun {
  /** Local id; the server's arrives once uploaded: \`await run.serverId()\`. */
  readonly id: string;
  readonly name: string;
  /** Params are fixed once logged (as in MLflow). Calls return at once; points are batched. */
  logParams(params: Record<string, unknown>): void;
  logParam(key: string, value: unknown): void;
  /** \`step\` defaults to the number of earlier points of that key. */
  logMetric(key: string, value: number, step?: number): void;
  logMetrics(metrics: Record<string, number>, step?: number): void;
  setTag(key: string, value: string): void;
  /** tfjs callback: \`model.fit(x, y, { callbacks: [run.fitCallback()] })\` logs every epoch's logs, step = epoch. */
  fitCallback(options?: { metrics?: string[]; batches?: boolean }): any;
  /** Saves a tfjs model as artifacts \`<name>/model.json\` + \`<name>/weights.bin\`. */
  logModel(model: any, name?: string): Promise<{ path: string; weightBytes: number }>;
  logArtifact(path: string, data: ArrayBuffer | ArrayBufferView | string, contentType?: string): Promise<void>;
  /** Ends the run: "FINISHED" (default), "FAILED" or "KILLED". */
  end(status?: "FINISHED" | "FAILED" | "KILLED"): Promise<void>;
  serverId(): Promise<string | null>;
  /** Registers the model this run logged (\`logModel(model, path)\`) in the class registry with its serving signature; \`reference\`: training rows sampled (≤ 1,000 per feature) for drift monitoring. */
  registerModel(name: string, options: { path?: string; features: string[]; outputs?: string[]; scaler?: { mean: ArrayLike<number>; scale: ArrayLike<number> }; threshold?: number; reference?: number[][] | TableDataset | unknown; description?: string }): Promise<{ name: string; version: number; source: string; referenceSize: number }>;
}
/** Experiment tracking: \`await track.run("baseline", { lr: 0.01 }, async (run) => { ... })\`. */
declare const track: {
  /** Starts a run, calls \`body\`, ends it FINISHED (FAILED if \`body\` throws). */
  run<T>(name: string, params: Record<string, unknown>, body: (run: TrackRun) => Promise<T> | T): Promise<T>;
  run<T>(name: string, body: (run: TrackRun) => Promise<T> | T): Promise<T>;
  /** A run you end yourself with \`run.end()\`. */
  start(name: string, params?: Record<string, unknown>): Promise<TrackRun>;
  /** Waits until the server has every run (guests: runs upload after signing in). */
  flush(timeoutMs?: number): Promise<{ pending: number; uploaded: boolean }>;
  pending(): Promise<number>;
};
/** A class's model challenges: test features with \`data.load("challenge:<id>")\`, predictions scored on the server. */
declare const challenge: {
  /** Predictions in the features file's order (numbers; 0/1 for F1-type metrics) or \`{ id, prediction }\` rows. A refused file throws and does not count. */
  submit(id: string, predictions: ArrayLike<number> | { id: string | number; prediction: number }[] | unknown): Promise<{ publicScore: number; remainingToday: number; attempt: number; dailyLimit: number; resetsAt: string; submissionId: string }>;
  /** The challenges of your classes. */
  list(): Promise<{ id: string; title: string; className: string; metric: string; higherIsBetter: boolean; predictionKind: string; idColumn: string; trainDataset: string | null; deadline: string; closed: boolean; remainingToday: number; bestPublicScore: number | null }[]>;
};
interface EndpointSummary { name: string; ownerId: string; mine: boolean; visibility: string; mode: string; versions: number[]; servingVersion: number | null; stableVersion: number | null; candidateVersion: number | null }
/** Model endpoints (TF Serving REST on this server): yours and those shared with your classes (\`<ownerId>/<name>\`). */
declare const endpoints: {
  list(): Promise<EndpointSummary[]>;
  /** Rows as number[][] in the model's feature order, a tensor, or a table with the feature columns → the model's predictions. */
  predict(name: string, rows: number[][] | TableDataset | unknown, options?: { version?: number }): Promise<any[]>;
  /** Your endpoint: single (\`version\`, default the newest), canary / A/B (\`candidateVersion\`, \`percent\`), shadow (\`candidateVersion\`), blue-green (\`version\` or a swap). */
  deploy(name: string, options?: { version?: number; mode?: "single" | "canary" | "shadow" | "ab" | "blue-green"; candidateVersion?: number; percent?: number }): Promise<EndpointSummary>;
  /** As predict, with the request id (\`x-request-id\`) to send ground truth under. */
  request(name: string, rows: number[][] | TableDataset | unknown, options?: { version?: number }): Promise<{ requestId: string | null; predictions: any[] }>;
  /** Ground truth for earlier requests: one 0/1 label per row (≤ 100 rows a request, ≤ 1,000 requests a call). */
  feedback(requestId: string, labels: number[]): Promise<{ accepted: number; results: { requestId: string; error?: string }[] }>;
  feedback(items: { requestId: string; labels: number[] }[]): Promise<{ accepted: number; results: { requestId: string; error?: string }[] }>;
  /** Your endpoint: undo the last deployment change. */
  rollback(name: string): Promise<EndpointSummary>;
  /** Your endpoint: the candidate becomes the single version. */
  promote(name: string): Promise<EndpointSummary>;
  /** Live monitoring per version (requests, latency, predictions, feedback metrics, drift, alerts) over the last windowSeconds (10–600). */
  stats(name: string, options?: { windowSeconds?: number }): Promise<any>;
  /** The audit log, newest first. */
  events(name: string, options?: { limit?: number }): Promise<{ id: number | string; action: string; actorId: string; timestamp: number; from: any; to: any }[]>;
  /** Whether this page's student is signed in (the endpoints need it). */
  signedIn(): boolean;
};
/** Throws \`message\` when \`condition\` is false (exercise checks). */
declare function check(condition: unknown, message: string): asserts condition;
/** TensorFlow.js (@tensorflow/tfjs 4) on the calibrated backend. */
declare const tf: {
  tensor(values: unknown, shape?: number[], dtype?: string): any;
  tensor1d(values: unknown, dtype?: string): any;
  tensor2d(values: unknown, shape?: [number, number], dtype?: string): any;
  scalar(value: number | boolean | string, dtype?: string): any;
  zeros(shape: number[], dtype?: string): any;
  ones(shape: number[], dtype?: string): any;
  tidy<T>(fn: () => T): T;
  dispose(container: unknown): void;
  sequential(config?: { layers?: any[]; name?: string }): any;
  model(args: { inputs: any; outputs: any; name?: string }): any;
  input(config: { shape: number[]; name?: string; dtype?: string }): any;
  layers: { dense(args: { units: number; activation?: string; inputShape?: number[]; useBias?: boolean; kernelRegularizer?: any }): any; dropout(args: { rate: number }): any; [name: string]: any };
  train: { adam(learningRate?: number): any; sgd(learningRate: number): any; [name: string]: any };
  losses: Record<string, any>;
  regularizers: Record<string, any>;
  getBackend(): string;
  setBackend(name: string): Promise<boolean>;
  memory(): { numTensors: number; numBytes: number };
  nextFrame(): Promise<void>;
  [name: string]: any;
};
/** Cuaderno's ML library: metrics, split, resample, losses, preprocess, augment, drift, baselines, select, models, ensemble, explain. */
declare const ml: {
  metrics: Record<string, any>;
  split: Record<string, any>;
  resample: Record<string, any>;
  losses: Record<string, any>;
  preprocess: Record<string, any>;
  augment: Record<string, any>;
  drift: Record<string, any>;
  baselines: Record<string, any>;
  select: Record<string, any>;
  models: Record<string, any>;
  ensemble: Record<string, any>;
  explain: Record<string, any>;
  [name: string]: any;
};
`;

/** `declare const x: any;` for every name earlier cells define, so later cells see them. */
export function earlierDefsDts(names: string[]): string {
  const safe = [...new Set(names)].filter((n) => /^[A-Za-z_$][\w$]*$/.test(n));
  return safe.map((n) => `declare var ${n}: any;`).join("\n") + "\n";
}
