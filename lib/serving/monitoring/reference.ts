// The training reference a model version is monitored against: per input feature, a sample of the
// values it was trained on (a random subsample of the training set, taken in the notebook).
// Samples rather than bin edges, because the Kolmogorov–Smirnov test compares two samples and PSI
// builds its bins from the reference's quantiles (ml.drift). Stored as JSON with the version;
// bounded and validated here.
import { z } from "zod";

export const REFERENCE_LIMITS = {
  /** Features described. */
  features: 256,
  /** Values per feature's sample. */
  sampleSize: 5000,
  /** Values at least, so PSI's 10 quantile bins and the KS test mean something. */
  minSampleSize: 20,
  /** Values in all (each version's reference is held in memory while its traffic is followed). */
  totalValues: 60_000,
  nameLength: 250,
} as const;

const finite = z.number().finite();

export const trainingReferenceSchema = z
  .object({
    /** Features in the order they form a row of the model's input (the signature's order). */
    features: z
      .array(
        z
          .object({
            name: z.string().min(1).max(REFERENCE_LIMITS.nameLength),
            sample: z.array(finite).min(REFERENCE_LIMITS.minSampleSize).max(REFERENCE_LIMITS.sampleSize),
          })
          .strict(),
      )
      .min(1)
      .max(REFERENCE_LIMITS.features),
  })
  .strict()
  .refine((r) => new Set(r.features.map((f) => f.name)).size === r.features.length, { message: "Feature names must be distinct" })
  .refine((r) => r.features.reduce((n, f) => n + f.sample.length, 0) <= REFERENCE_LIMITS.totalValues, {
    message: `At most ${REFERENCE_LIMITS.totalValues} values in all (e.g. 2,000 per feature for 30 features)`,
  });

export type TrainingReference = z.infer<typeof trainingReferenceSchema>;

export class ReferenceError extends Error {}

/** A reference from JSON (text or parsed); throws ReferenceError with zod's first problem. */
export function parseTrainingReferenceOrThrow(raw: unknown): TrainingReference {
  let value = raw;
  if (typeof raw === "string") {
    try {
      value = JSON.parse(raw);
    } catch {
      throw new ReferenceError("The training reference is not valid JSON");
    }
  }
  const r = trainingReferenceSchema.safeParse(value);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new ReferenceError(`Invalid training reference at ${issue.path.join(".") || "(root)"}: ${issue.message}`);
  }
  return r.data;
}

/** A stored reference, or null when there is none or it is unreadable (monitoring then shows no drift). */
export function trainingReferenceFromText(text: string | null | undefined): TrainingReference | null {
  if (!text) return null;
  try {
    return parseTrainingReferenceOrThrow(text);
  } catch {
    return null;
  }
}
