// What serving needs to predict from raw rows, stored with a model version: the input features in
// order, their preprocessing (a fitted standard scaler's mean and scale), the output names, and a
// decision threshold. Validated and bounded here; stored as JSON text (ModelVersion.signature).
import { z } from "zod";
import { DomainError } from "@/lib/server/errors";

export const SIGNATURE_LIMITS = {
  features: 1024,
  outputs: 1024,
  nameLength: 250,
  /** The stored JSON text. */
  jsonLength: 128 * 1024,
} as const;

const featureName = z.string().min(1).max(SIGNATURE_LIMITS.nameLength);
const finite = z.number().finite();

const standardScaler = z.strictObject({
  type: z.literal("standard_scaler"),
  /** Per input feature, in `inputs` order: x' = (x - mean) / scale. */
  mean: z.array(finite).max(SIGNATURE_LIMITS.features),
  scale: z.array(finite.refine((v) => v !== 0, "scale values must not be 0")).max(SIGNATURE_LIMITS.features),
});

export const modelSignatureSchema = z
  .strictObject({
    inputs: z.array(featureName).min(1).max(SIGNATURE_LIMITS.features),
    outputs: z.array(featureName).min(1).max(SIGNATURE_LIMITS.outputs),
    preprocessing: standardScaler.nullish(),
    threshold: finite.nullish(),
  })
  .superRefine((s, ctx) => {
    const dup = (names: string[]) => names.find((n, i) => names.indexOf(n) !== i);
    const d = dup(s.inputs);
    if (d !== undefined) ctx.addIssue({ code: "custom", path: ["inputs"], message: `duplicate input feature '${d.slice(0, 60)}'` });
    const o = dup(s.outputs);
    if (o !== undefined) ctx.addIssue({ code: "custom", path: ["outputs"], message: `duplicate output '${o.slice(0, 60)}'` });
    const p = s.preprocessing;
    if (p && (p.mean.length !== s.inputs.length || p.scale.length !== s.inputs.length))
      ctx.addIssue({ code: "custom", path: ["preprocessing"], message: `mean and scale need one value per input feature (${s.inputs.length})` });
  });

export type ModelSignature = z.infer<typeof modelSignatureSchema>;

/** The signature as stored: validated, normalized (absent optionals left out), within the text bound. */
export function parseSignatureOrThrow(raw: unknown): ModelSignature {
  const r = modelSignatureSchema.safeParse(raw);
  if (!r.success) {
    const issue = r.error.issues[0];
    const where = issue.path.length ? `signature.${issue.path.join(".")}` : "signature";
    throw new DomainError("invalidInput", `Invalid value for '${where}': ${issue.message}`);
  }
  const s = r.data;
  const out: ModelSignature = { inputs: s.inputs, outputs: s.outputs };
  if (s.preprocessing) out.preprocessing = s.preprocessing;
  if (s.threshold !== undefined && s.threshold !== null) out.threshold = s.threshold;
  if (JSON.stringify(out).length > SIGNATURE_LIMITS.jsonLength)
    throw new DomainError("invalidInput", `The signature exceeds ${SIGNATURE_LIMITS.jsonLength} characters as JSON`);
  return out;
}

export const signatureToText = (s: ModelSignature): string => JSON.stringify(s);

/** A stored signature back as an object (null when none, or — never expected — unreadable). */
export function signatureFromText(text: string | null): ModelSignature | null {
  if (!text) return null;
  try {
    return modelSignatureSchema.parse(JSON.parse(text));
  } catch {
    return null;
  }
}
