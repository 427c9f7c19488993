// The only module that reads process.env. Validated once; everything else imports `env`.
import { z } from "zod";

const schema = z.object({
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  /** `file:./data/cuaderno.db` (SQLite, default) or a postgres:// URL. */
  DATABASE_URL: z.string().min(1).default("file:./data/cuaderno.db"),
  /** Public origin of the app, used for auth callbacks and join links. */
  CUADERNO_URL: z.string().url().default("http://localhost:3000"),
  /** Signs session cookies. `npm start` generates one under data/ when absent. */
  BETTER_AUTH_SECRET: z.string().min(32).optional(),
  /** Where artifacts live on disk when no S3 bucket is configured. */
  ARTIFACT_DIR: z.string().default("./data/artifacts"),
  /** Sign-in attempts allowed per IP per minute. */
  SIGNIN_RATE_LIMIT: z.coerce.number().int().positive().default(10),
});

const parsed = schema.safeParse(process.env);
if (!parsed.success) {
  throw new Error(`Invalid environment: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
}

const DEV_SECRET = "cuaderno-development-secret-not-for-production-use";

export const env = {
  ...parsed.data,
  BETTER_AUTH_SECRET: parsed.data.BETTER_AUTH_SECRET ?? DEV_SECRET,
  databaseProvider: /^postgres(ql)?:\/\//.test(parsed.data.DATABASE_URL) ? ("postgresql" as const) : ("sqlite" as const),
};
