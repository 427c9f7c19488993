// The only module that reads process.env. Validated once; everything else imports `env`.
// parseEnv is exported so the rules can be tested on plain objects.
import { z } from "zod";

const schema = z.object({
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  /** `file:./data/cuaderno.db` (SQLite, default) or a postgres:// URL. */
  DATABASE_URL: z.string().min(1).default("file:./data/cuaderno.db"),
  /** Public origin of the app, used for auth callbacks and join links. */
  CUADERNO_URL: z.string().url().default("http://localhost:3000"),
  /** Signs session cookies. Required in production; `npm start` outside production generates one under data/ when absent. */
  BETTER_AUTH_SECRET: z.preprocess((v) => (typeof v === "string" && v.trim() === "" ? undefined : v), z.string().min(32).optional()),
  /** Where artifacts live on disk when no S3 bucket is configured. */
  ARTIFACT_DIR: z.string().default("./data/artifacts"),
  /** Sign-in attempts allowed per IP per minute. */
  SIGNIN_RATE_LIMIT: z.coerce.number().int().positive().default(10),
  /** Proxies whose X-Forwarded-For is believed (comma list of IPs/CIDRs, e.g. 127.0.0.1,10.0.0.0/8); none by default: the client is the socket's peer. */
  TRUSTED_PROXIES: z.string().default(""),
  /** Shares serving policy changes and live metrics between instances (`redis://[user:pass@]host:port[/db]` or rediss://); unset: each instance alone. */
  REDIS_URL: z.preprocess(
    (v) => (typeof v === "string" && v.trim() === "" ? undefined : v),
    z
      .string()
      .trim()
      .refine((s) => {
        try {
          const u = new URL(s);
          return (u.protocol === "redis:" || u.protocol === "rediss:") && !!u.hostname && /^(\/\d{0,2})?$/.test(u.pathname) && !u.search && !u.hash;
        } catch {
          return false;
        }
      }, "must be a redis:// or rediss:// URL such as redis://127.0.0.1:6379 or redis://127.0.0.1:6379/0")
      .optional(),
  ),
});

/** S3-compatible artifact storage (AWS S3, MinIO, Ceph RGW, Cloudflare R2, ...). */
export interface ArtifactS3Config {
  bucket: string;
  /** Origin of the service, without a trailing slash: `https://s3.us-east-1.amazonaws.com` when none is set. */
  endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  /** `<endpoint>/<bucket>/<key>` rather than `<bucket>.<endpoint host>/<key>`. */
  forcePathStyle: boolean;
  /** Prepended to every object key (no leading or trailing slash); "" for none. */
  prefix: string;
}

const S3_VARS = [
  "ARTIFACT_S3_BUCKET",
  "ARTIFACT_S3_ENDPOINT",
  "ARTIFACT_S3_REGION",
  "ARTIFACT_S3_ACCESS_KEY_ID",
  "ARTIFACT_S3_SECRET_ACCESS_KEY",
  "ARTIFACT_S3_SESSION_TOKEN",
  "ARTIFACT_S3_FORCE_PATH_STYLE",
  "ARTIFACT_S3_PREFIX",
] as const;

// Empty strings count as unset (docker-compose and .env files often leave `VAR=`).
const opt = z.preprocess((v) => (typeof v === "string" && v.trim() === "" ? undefined : v), z.string().trim().optional());

const s3Schema = z
  .object({
    ARTIFACT_S3_BUCKET: opt.pipe(
      z
        .string()
        .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, "must be a bucket name: 3-63 lowercase letters, digits, dots and hyphens")
        .optional(),
    ),
    ARTIFACT_S3_ENDPOINT: opt.pipe(
      z
        .string()
        .refine((s) => {
          try {
            const u = new URL(s);
            return /^https?:$/.test(u.protocol) && !u.username && !u.password && u.pathname === "/" && !u.search && !u.hash;
          } catch {
            return false;
          }
        }, "must be an http(s) origin such as https://minio.example.org:9000 (no path, query or credentials)")
        .optional(),
    ),
    ARTIFACT_S3_REGION: opt.pipe(z.string().regex(/^[a-z0-9-]{1,40}$/, "must be a region name such as us-east-1 or auto").optional()),
    ARTIFACT_S3_ACCESS_KEY_ID: opt,
    ARTIFACT_S3_SECRET_ACCESS_KEY: opt,
    ARTIFACT_S3_SESSION_TOKEN: opt,
    ARTIFACT_S3_FORCE_PATH_STYLE: opt.pipe(z.enum(["true", "false", "1", "0"], { error: "must be true or false" }).optional()),
    ARTIFACT_S3_PREFIX: opt.pipe(
      z
        .string()
        .transform((s) => s.replace(/^\/+|\/+$/g, ""))
        .refine((s) => s.length <= 200 && s.split("/").every((p) => p !== "" && p !== "." && p !== ".." && !p.includes("\\")), "must be a key prefix such as cuaderno/artifacts (no empty, '.' or '..' segments)")
        .optional(),
    ),
  })
  .superRefine((v, ctx) => {
    const set = S3_VARS.filter((k) => v[k] !== undefined);
    if (!v.ARTIFACT_S3_BUCKET) {
      if (set.length)
        ctx.addIssue({ code: "custom", path: ["ARTIFACT_S3_BUCKET"], message: `is required when ${set.join(", ")} ${set.length > 1 ? "are" : "is"} set (unset them all to store artifacts on disk)` });
      return;
    }
    for (const k of ["ARTIFACT_S3_ACCESS_KEY_ID", "ARTIFACT_S3_SECRET_ACCESS_KEY"] as const)
      if (!v[k]) ctx.addIssue({ code: "custom", path: [k], message: "is required when ARTIFACT_S3_BUCKET is set" });
  });

function s3Config(v: z.infer<typeof s3Schema>): ArtifactS3Config | null {
  if (!v.ARTIFACT_S3_BUCKET) return null;
  const region = v.ARTIFACT_S3_REGION ?? "us-east-1";
  const custom = v.ARTIFACT_S3_ENDPOINT !== undefined;
  return {
    bucket: v.ARTIFACT_S3_BUCKET,
    endpoint: custom ? new URL(v.ARTIFACT_S3_ENDPOINT!).origin : `https://s3.${region}.amazonaws.com`,
    region,
    accessKeyId: v.ARTIFACT_S3_ACCESS_KEY_ID!,
    secretAccessKey: v.ARTIFACT_S3_SECRET_ACCESS_KEY!,
    ...(v.ARTIFACT_S3_SESSION_TOKEN ? { sessionToken: v.ARTIFACT_S3_SESSION_TOKEN } : {}),
    forcePathStyle: v.ARTIFACT_S3_FORCE_PATH_STYLE === undefined ? custom : v.ARTIFACT_S3_FORCE_PATH_STYLE === "true" || v.ARTIFACT_S3_FORCE_PATH_STYLE === "1",
    prefix: v.ARTIFACT_S3_PREFIX ?? "",
  };
}

/** Signs sessions in development and tests only; production refuses to start without a real secret. */
const DEV_SECRET = "cuaderno-development-secret-not-for-production-use";

/** Next sets this while `next build` collects page data, which imports this module without a secret. */
const BUILD_PHASE = "phase-production-build";

/** A production server must be given its own session secret: with the built-in one anyone could forge a session. */
function secretIssues(source: Record<string, string | undefined>) {
  if (source.NODE_ENV !== "production" || source.NEXT_PHASE === BUILD_PHASE) return [];
  const secret = source.BETTER_AUTH_SECRET?.trim() ? source.BETTER_AUTH_SECRET : undefined;
  if (secret === DEV_SECRET)
    return [{ path: ["BETTER_AUTH_SECRET"], message: "is the built-in development secret, which must not be used in production (generate one with `openssl rand -base64 32`)" }];
  if (!secret)
    return [{ path: ["BETTER_AUTH_SECRET"], message: "is required when NODE_ENV=production: set it to a random value of 32+ characters, e.g. the output of `openssl rand -base64 32`, and keep it across restarts (changing it signs everyone out)" }];
  return [];
}

/** Validates an environment; throws one error naming every bad variable (never its value). */
export function parseEnv(source: Record<string, string | undefined>) {
  const base = schema.safeParse(source);
  const s3 = s3Schema.safeParse(source);
  const issues = [...(base.success ? [] : base.error.issues), ...secretIssues(source), ...(s3.success ? [] : s3.error.issues)];
  if (!base.success || !s3.success || issues.length)
    throw new Error(`Invalid environment: ${issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  return {
    ...base.data,
    BETTER_AUTH_SECRET: base.data.BETTER_AUTH_SECRET ?? DEV_SECRET,
    databaseProvider: /^postgres(ql)?:\/\//.test(base.data.DATABASE_URL) ? ("postgresql" as const) : ("sqlite" as const),
    /** null: artifacts go to ARTIFACT_DIR on disk. */
    artifactS3: s3Config(s3.data),
  };
}

export type Env = ReturnType<typeof parseEnv>;

export const env: Env = parseEnv(process.env);
