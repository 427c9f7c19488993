// The registry's value rules and limits (MLflow's: mlflow/utils/validation.py and its SQL store's
// column sizes), so the REST layer and a later UI refuse the same input with the same messages.
import { DomainError } from "@/lib/server/errors";
import { checkStorableText, validateKey } from "@/lib/server/services/tracking/values";

export const REGISTRY_LIMITS = {
  nameLength: 256,
  descriptionLength: 5000,
  tagValueLength: 5000,
  tagsPerRequest: 100,
  aliasLength: 255,
  sourceLength: 1000,
  runLinkLength: 500,
  modelSearchDefault: 100,
  modelSearchMax: 1000,
  versionSearchDefault: 10_000,
  versionSearchMax: 200_000,
} as const;

export const STAGES = ["None", "Staging", "Production", "Archived"] as const;
export type Stage = (typeof STAGES)[number];

const invalid = (message: string) => new DomainError("invalidInput", message);
const kind = (v: unknown) => (Array.isArray(v) ? "an array" : v === null ? "null" : typeof v === "object" ? "an object" : `a ${typeof v}`);

/** A registered model name as its owner writes it: 1..256 characters, no '/' (see access.ts). */
export function validateModelName(name: unknown, param = "name"): string {
  if (name === undefined || name === null || name === "") throw invalid(`Missing value for required parameter '${param}'.`);
  if (typeof name !== "string") throw invalid(`Invalid value for parameter '${param}': expected a string, got ${kind(name)}`);
  checkStorableText(param, name);
  if (name.length > REGISTRY_LIMITS.nameLength) throw invalid(`'${param}' exceeds the maximum length of ${REGISTRY_LIMITS.nameLength} characters`);
  if (!name.trim()) throw invalid(`Registered model name cannot be blank.`);
  if (name.includes("/")) throw invalid(`Invalid registered model name '${name}': names may not contain '/'.`);
  return name;
}

/** A version number: MLflow sends it as a string ("3"); a JSON integer is accepted too. */
export function parseVersion(v: unknown): number {
  if (v === undefined || v === null || v === "") throw invalid(`Missing value for required parameter 'version'.`);
  const text = typeof v === "number" || typeof v === "string" ? String(v) : null;
  const n = text !== null && text.length <= 16 && /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n) || n < 1)
    throw invalid(`Parameter 'version' must be an integer, got '${text === null ? kind(v) : text.slice(0, 40)}'.`);
  return n;
}

/** MLflow's alias rule: alphanumerics, '_' and '-', at most 255; not 'latest', not 'v<digits>'. */
export function validateAlias(alias: unknown): string {
  if (alias === undefined || alias === null || alias === "") throw invalid("Registered model alias name cannot be empty.");
  if (typeof alias !== "string") throw invalid(`Invalid value for parameter 'alias': expected a string, got ${kind(alias)}`);
  if (alias.length > REGISTRY_LIMITS.aliasLength)
    throw invalid(`'Registered model alias name' exceeds the maximum length of ${REGISTRY_LIMITS.aliasLength} characters`);
  if (!/^[\w-]+$/.test(alias)) throw invalid(`Invalid alias name: '${alias}'. Names may only contain alphanumerics, underscores (_), and dashes (-).`);
  if (alias.toLowerCase() === "latest") throw invalid("'latest' alias name (case insensitive) is reserved.");
  if (/^[vV]\d+$/.test(alias)) throw invalid(`Version alias name '${alias}' is reserved.`);
  return alias;
}

export function validateDescription(d: unknown): string | undefined {
  if (d === undefined || d === null) return undefined;
  if (typeof d !== "string") throw invalid(`Invalid value for parameter 'description': expected a string, got ${kind(d)}`);
  checkStorableText("description", d);
  if (d.length > REGISTRY_LIMITS.descriptionLength) throw invalid(`'description' exceeds the maximum length of ${REGISTRY_LIMITS.descriptionLength} characters`);
  return d;
}

export interface RegistryTag {
  key: string;
  value: string;
}

/** A registered model or model version tag: a tracking tag key, a value of at most 5,000 characters. */
export function validateRegistryTag(t: unknown): RegistryTag {
  if (typeof t !== "object" || t === null || Array.isArray(t)) throw invalid(`Invalid tag: expected an object with 'key' and 'value', got ${kind(t)}`);
  const { key: rawKey, value: rawValue } = t as { key?: unknown; value?: unknown };
  const key = validateKey("tag", rawKey);
  if (rawValue === undefined || rawValue === null) throw invalid(`Missing value for required parameter 'value' of tag '${key}'.`);
  if (typeof rawValue !== "string") throw invalid(`Invalid value for tag '${key}': expected a string, got ${kind(rawValue)}`);
  checkStorableText(`tag value for '${key}'`, rawValue);
  if (rawValue.length > REGISTRY_LIMITS.tagValueLength) throw invalid(`'value' exceeds the maximum length of ${REGISTRY_LIMITS.tagValueLength} characters`);
  return { key, value: rawValue };
}

export function validateRegistryTags(raw: unknown): RegistryTag[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw invalid("Parameter 'tags' must be a list of {key, value} objects");
  if (raw.length > REGISTRY_LIMITS.tagsPerRequest) throw invalid(`At most ${REGISTRY_LIMITS.tagsPerRequest} tags may be given at once; got ${raw.length}`);
  const tags = raw.map(validateRegistryTag);
  const seen = new Set<string>();
  for (const t of tags) {
    if (seen.has(t.key)) throw invalid(`Duplicate tag key '${t.key}'`);
    seen.add(t.key);
  }
  return tags;
}

/** A stage name, case-insensitive as MLflow's: "production" → "Production". */
export function parseStage(s: unknown): Stage {
  const found = typeof s === "string" ? STAGES.find((x) => x.toLowerCase() === s.toLowerCase()) : undefined;
  if (!found) throw invalid(`Invalid Model Version stage: ${typeof s === "string" ? s.slice(0, 60) : kind(s)}. Value must be one of ${STAGES.join(", ")}.`);
  return found;
}

export function optionalText(v: unknown, name: string, max: number): string | undefined {
  if (v === undefined || v === null || v === "") return undefined;
  if (typeof v !== "string") throw invalid(`Invalid value for parameter '${name}': expected a string, got ${kind(v)}`);
  checkStorableText(name, v);
  if (v.length > max) throw invalid(`'${name}' exceeds the maximum length of ${max} characters`);
  return v;
}
