/**
 * `ml` — the ML standard library lesson cells call as `ml.metrics.f1(...)`,
 * `ml.split.trainTestSplit(...)`, etc. Pure TypeScript: it runs in the kernel's Web Worker
 * and in Node, and follows scikit-learn's argument order, defaults and return shapes where a
 * counterpart exists. See content/lessons/README.md for how lessons use it.
 *
 * @packageDocumentation
 */
export * as metrics from "./metrics";
export * as split from "./split";
export * as resample from "./resample";
export * as losses from "./losses";
export * as preprocess from "./preprocess";
export * as augment from "./augment";
export * as drift from "./drift";
export * as baselines from "./baselines";
export * as select from "./select";
export * as models from "./models";
export * as ensemble from "./ensemble";
export * as explain from "./explain";
/** Seeded random numbers shared by every namespace (`ml.random.createRng(seed)`). */
export * as random from "./random";
