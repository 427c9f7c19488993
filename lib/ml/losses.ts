/**
 * Losses for imbalanced binary problems, usable directly in `model.compile({ loss })`:
 * focal loss (Lin et al., 2017) and class-weighted binary cross-entropy.
 * Each returns the per-example loss (mean over the last axis, as Keras losses do); tfjs
 * averages it over the batch.
 *
 * @packageDocumentation
 */

import * as tf from "@tensorflow/tfjs";

/** A loss as tfjs expects it: `(yTrue, yPred) => loss tensor`. */
export type LossFn = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor;

/** Options for {@link focalLoss} (Keras `BinaryFocalCrossentropy` with class balancing). */
export interface FocalLossOptions {
  /** Focusing parameter; 0 gives (alpha-weighted) cross-entropy. Default 2. */
  gamma?: number;
  /** Weight of the positive class (negatives get `1 − alpha`). Default 0.25. */
  alpha?: number;
  /** `yPred` holds logits rather than probabilities. Default false. */
  fromLogits?: boolean;
  /** Probabilities are clipped to `[epsilon, 1 − epsilon]`. Default 1e-7. */
  epsilon?: number;
}

/**
 * Binary focal loss `−αₜ (1 − pₜ)^γ log(pₜ)`, where `pₜ` is the probability given to the
 * true class and `αₜ = α` for positives, `1 − α` for negatives. Easy, well-classified
 * examples are down-weighted so training focuses on the hard (often rare) ones.
 *
 * @example
 * ```ts
 * model.compile({ optimizer: "adam", loss: ml.losses.focalLoss({ gamma: 2, alpha: 0.25 }) });
 * ```
 */
export function focalLoss(options: FocalLossOptions = {}): LossFn {
  const gamma = options.gamma ?? 2;
  const alpha = options.alpha ?? 0.25;
  const eps = options.epsilon ?? 1e-7;
  if (!(gamma >= 0)) throw new Error(`focalLoss: gamma must be >= 0, got ${gamma}`);
  if (!(alpha >= 0 && alpha <= 1)) throw new Error(`focalLoss: alpha must be in [0, 1], got ${alpha}`);
  return (yTrue, yPred) =>
    tf.tidy(() => {
      const y = yTrue.toFloat();
      let logP: tf.Tensor;
      let log1mP: tf.Tensor;
      let p: tf.Tensor;
      if (options.fromLogits) {
        // log σ(z) = −softplus(−z), log(1 − σ(z)) = −softplus(z): stable for large |z|.
        logP = tf.neg(tf.softplus(tf.neg(yPred)));
        log1mP = tf.neg(tf.softplus(yPred));
        p = tf.sigmoid(yPred);
      } else {
        p = tf.clipByValue(yPred, eps, 1 - eps);
        logP = tf.log(p);
        log1mP = tf.log(tf.sub(1, p));
      }
      const pt = tf.add(tf.mul(y, p), tf.mul(tf.sub(1, y), tf.sub(1, p)));
      const logPt = tf.add(tf.mul(y, logP), tf.mul(tf.sub(1, y), log1mP));
      const alphaT = tf.add(tf.mul(y, alpha), tf.mul(tf.sub(1, y), 1 - alpha));
      const loss = tf.neg(tf.mul(tf.mul(alphaT, tf.pow(tf.sub(1, pt), gamma)), logPt));
      return tf.mean(loss, -1);
    });
}

/** Options for {@link weightedBinaryCrossentropy}. */
export interface WeightedBinaryCrossentropyOptions {
  /** Multiplier of the positive examples' term (e.g. negatives/positives). Default 1. */
  posWeight?: number;
  /** `yPred` holds logits rather than probabilities. Default false. */
  fromLogits?: boolean;
  /** Probabilities are clipped to `[epsilon, 1 − epsilon]`. Default 1e-7. */
  epsilon?: number;
}

/**
 * Binary cross-entropy with the positive term weighted:
 * `−(posWeight · y · log p + (1 − y) · log(1 − p))` (TensorFlow's
 * `weighted_cross_entropy_with_logits`). `posWeight > 1` makes missing a positive costlier.
 *
 * @example
 * ```ts
 * model.compile({ optimizer: "adam", loss: ml.losses.weightedBinaryCrossentropy({ posWeight: 50 }) });
 * ```
 */
export function weightedBinaryCrossentropy(options: WeightedBinaryCrossentropyOptions = {}): LossFn {
  const posWeight = options.posWeight ?? 1;
  const eps = options.epsilon ?? 1e-7;
  if (!(posWeight > 0)) throw new Error(`weightedBinaryCrossentropy: posWeight must be positive, got ${posWeight}`);
  return (yTrue, yPred) =>
    tf.tidy(() => {
      const y = yTrue.toFloat();
      let logP: tf.Tensor;
      let log1mP: tf.Tensor;
      if (options.fromLogits) {
        logP = tf.neg(tf.softplus(tf.neg(yPred)));
        log1mP = tf.neg(tf.softplus(yPred));
      } else {
        const p = tf.clipByValue(yPred, eps, 1 - eps);
        logP = tf.log(p);
        log1mP = tf.log(tf.sub(1, p));
      }
      const loss = tf.neg(tf.add(tf.mul(tf.mul(y, posWeight), logP), tf.mul(tf.sub(1, y), log1mP)));
      return tf.mean(loss, -1);
    });
}
