// lib/env.ts: the S3 artifact settings — defaults, AWS vs custom endpoints, and partial or bad
// configuration refused with a message naming the variable (never a secret's value).
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseEnv } from "@/lib/env";
import { ensureAuthSecret } from "@/scripts/prepare-db.mjs";

const keys = { ARTIFACT_S3_ACCESS_KEY_ID: "AKIAEXAMPLE", ARTIFACT_S3_SECRET_ACCESS_KEY: "s3cr3t-value-not-to-print" };
const errorOf = (source: Record<string, string | undefined>) => {
  try {
    parseEnv(source);
    return null;
  } catch (e) {
    return (e as Error).message;
  }
};

describe("parseEnv: artifact storage", () => {
  it("stores artifacts on disk when no S3 variable is set (empty values count as unset)", () => {
    expect(parseEnv({}).artifactS3).toBeNull();
    expect(parseEnv({ ARTIFACT_S3_BUCKET: "", ARTIFACT_S3_ENDPOINT: "  " }).artifactS3).toBeNull();
    expect(parseEnv({}).ARTIFACT_DIR).toBe("./data/artifacts");
  });

  it("defaults to AWS S3 in us-east-1 with virtual-hosted addressing", () => {
    expect(parseEnv({ ARTIFACT_S3_BUCKET: "my-bucket", ...keys }).artifactS3).toEqual({
      bucket: "my-bucket",
      endpoint: "https://s3.us-east-1.amazonaws.com",
      region: "us-east-1",
      accessKeyId: "AKIAEXAMPLE",
      secretAccessKey: "s3cr3t-value-not-to-print",
      forcePathStyle: false,
      prefix: "",
    });
    expect(parseEnv({ ARTIFACT_S3_BUCKET: "my-bucket", ARTIFACT_S3_REGION: "eu-west-3", ...keys }).artifactS3?.endpoint).toBe("https://s3.eu-west-3.amazonaws.com");
  });

  it("uses path-style addressing with a custom endpoint unless told otherwise", () => {
    const minio = parseEnv({ ARTIFACT_S3_BUCKET: "art", ARTIFACT_S3_ENDPOINT: "http://minio.local:9000/", ...keys }).artifactS3;
    expect(minio).toMatchObject({ endpoint: "http://minio.local:9000", forcePathStyle: true, region: "us-east-1" });
    const r2 = parseEnv({
      ARTIFACT_S3_BUCKET: "art",
      ARTIFACT_S3_ENDPOINT: "https://acct.r2.cloudflarestorage.com",
      ARTIFACT_S3_REGION: "auto",
      ARTIFACT_S3_FORCE_PATH_STYLE: "false",
      ARTIFACT_S3_SESSION_TOKEN: "tok",
      ...keys,
    }).artifactS3;
    expect(r2).toMatchObject({ forcePathStyle: false, region: "auto", sessionToken: "tok" });
    expect(parseEnv({ ARTIFACT_S3_BUCKET: "art", ARTIFACT_S3_FORCE_PATH_STYLE: "1", ...keys }).artifactS3?.forcePathStyle).toBe(true);
  });

  it("normalizes the key prefix", () => {
    expect(parseEnv({ ARTIFACT_S3_BUCKET: "art", ARTIFACT_S3_PREFIX: "/course/2025/", ...keys }).artifactS3?.prefix).toBe("course/2025");
    expect(errorOf({ ARTIFACT_S3_BUCKET: "art", ARTIFACT_S3_PREFIX: "a/../b", ...keys })).toMatch(/ARTIFACT_S3_PREFIX: must be a key prefix/);
    expect(errorOf({ ARTIFACT_S3_BUCKET: "art", ARTIFACT_S3_PREFIX: "a//b", ...keys })).toMatch(/ARTIFACT_S3_PREFIX/);
  });

  it("refuses a bucket without keys, and keys without a bucket", () => {
    expect(errorOf({ ARTIFACT_S3_BUCKET: "art" })).toBe(
      "Invalid environment: ARTIFACT_S3_ACCESS_KEY_ID: is required when ARTIFACT_S3_BUCKET is set; ARTIFACT_S3_SECRET_ACCESS_KEY: is required when ARTIFACT_S3_BUCKET is set",
    );
    expect(errorOf({ ARTIFACT_S3_BUCKET: "art", ARTIFACT_S3_ACCESS_KEY_ID: "AKIAEXAMPLE" })).toMatch(/^Invalid environment: ARTIFACT_S3_SECRET_ACCESS_KEY: is required/);
    const noBucket = errorOf({ ARTIFACT_S3_ENDPOINT: "http://minio:9000", ...keys });
    expect(noBucket).toBe(
      "Invalid environment: ARTIFACT_S3_BUCKET: is required when ARTIFACT_S3_ENDPOINT, ARTIFACT_S3_ACCESS_KEY_ID, ARTIFACT_S3_SECRET_ACCESS_KEY are set (unset them all to store artifacts on disk)",
    );
    expect(noBucket).not.toContain(keys.ARTIFACT_S3_SECRET_ACCESS_KEY);
  });

  it("refuses bad endpoints, bucket names, regions and flags, naming each variable", () => {
    for (const endpoint of ["minio:9000", "ftp://minio:9000", "https://user:pass@minio:9000", "https://minio:9000/bucket", "https://minio:9000/?x=1"])
      expect(errorOf({ ARTIFACT_S3_BUCKET: "art", ARTIFACT_S3_ENDPOINT: endpoint, ...keys }), endpoint).toMatch(/^Invalid environment: ARTIFACT_S3_ENDPOINT: must be an http\(s\) origin/);
    expect(errorOf({ ARTIFACT_S3_BUCKET: "Art_Bucket", ...keys })).toMatch(/ARTIFACT_S3_BUCKET: must be a bucket name/);
    expect(errorOf({ ARTIFACT_S3_BUCKET: "art", ARTIFACT_S3_REGION: "EU West", ...keys })).toMatch(/ARTIFACT_S3_REGION: must be a region name/);
    expect(errorOf({ ARTIFACT_S3_BUCKET: "art", ARTIFACT_S3_FORCE_PATH_STYLE: "yes", ...keys })).toMatch(/ARTIFACT_S3_FORCE_PATH_STYLE: must be true or false/);
    // Several problems at once are reported together, with the other settings' errors.
    const both = errorOf({ SIGNIN_RATE_LIMIT: "0", ARTIFACT_S3_BUCKET: "art", ARTIFACT_S3_ENDPOINT: "nope" });
    expect(both).toMatch(/SIGNIN_RATE_LIMIT/);
    expect(both).toMatch(/ARTIFACT_S3_ENDPOINT/);
    expect(both).toMatch(/ARTIFACT_S3_ACCESS_KEY_ID/);
  });
});

describe("parseEnv: the session secret", () => {
  const secret = "x".repeat(40);

  it("refuses to run in production without BETTER_AUTH_SECRET, saying how to make one", () => {
    const message = errorOf({ NODE_ENV: "production" });
    expect(message).toMatch(/^Invalid environment: BETTER_AUTH_SECRET: is required when NODE_ENV=production/);
    expect(message).toContain("openssl rand -base64 32");
    expect(errorOf({ NODE_ENV: "production", BETTER_AUTH_SECRET: "" })).toMatch(/BETTER_AUTH_SECRET: is required/);
  });

  it("refuses the built-in development secret in production", () => {
    const dev = parseEnv({ NODE_ENV: "development" }).BETTER_AUTH_SECRET;
    expect(errorOf({ NODE_ENV: "production", BETTER_AUTH_SECRET: dev })).toMatch(/BETTER_AUTH_SECRET: is the built-in development secret/);
  });

  it("uses the given secret in production, and reports it with other bad settings (never its value)", () => {
    expect(parseEnv({ NODE_ENV: "production", BETTER_AUTH_SECRET: secret }).BETTER_AUTH_SECRET).toBe(secret);
    const both = errorOf({ NODE_ENV: "production", SIGNIN_RATE_LIMIT: "0" });
    expect(both).toMatch(/SIGNIN_RATE_LIMIT/);
    expect(both).toMatch(/BETTER_AUTH_SECRET: is required/);
    expect(errorOf({ NODE_ENV: "production", BETTER_AUTH_SECRET: "too-short" })).not.toContain("too-short");
  });

  it("lets `next build` collect page data without a secret (NEXT_PHASE=phase-production-build)", () => {
    const built = parseEnv({ NODE_ENV: "production", NEXT_PHASE: "phase-production-build" });
    expect(built.BETTER_AUTH_SECRET.length).toBeGreaterThanOrEqual(32);
    // The same process serving requests afterwards would refuse.
    expect(errorOf({ NODE_ENV: "production", NEXT_PHASE: "phase-production-server" })).toMatch(/BETTER_AUTH_SECRET: is required/);
  });

  it("falls back to the development secret only outside production", () => {
    expect(parseEnv({}).BETTER_AUTH_SECRET).toMatch(/not-for-production/);
    expect(parseEnv({ NODE_ENV: "test" }).BETTER_AUTH_SECRET).toMatch(/not-for-production/);
  });
});

describe("ensureAuthSecret (scripts/prepare-db.mjs, used by npm start)", () => {
  const withDir = <T>(fn: (dir: string) => T): T => {
    const dir = mkdtempSync(join(tmpdir(), "cuaderno-secret-"));
    try {
      return fn(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };

  it("refuses in production without BETTER_AUTH_SECRET and writes nothing", () =>
    withDir((dir) => {
      const data = join(dir, "data");
      expect(() => ensureAuthSecret({}, { nodeEnv: "production", dataDir: data })).toThrow(/BETTER_AUTH_SECRET is not set.*openssl rand -base64 32/s);
      expect(() => statSync(data)).toThrow();
    }));

  it("uses BETTER_AUTH_SECRET when set, in production or not", () =>
    withDir((dir) => {
      expect(ensureAuthSecret({ BETTER_AUTH_SECRET: "given-secret" }, { nodeEnv: "production", dataDir: dir })).toBe("given-secret");
      expect(ensureAuthSecret({ BETTER_AUTH_SECRET: "given-secret" }, { nodeEnv: undefined, dataDir: dir })).toBe("given-secret");
    }));

  it("outside production generates one random secret under data/ (0600) and keeps it", () =>
    withDir((dir) => {
      const first = ensureAuthSecret({}, { nodeEnv: undefined, dataDir: dir });
      expect(first).toMatch(/^[0-9a-f]{64}$/);
      expect(ensureAuthSecret({}, { nodeEnv: "development", dataDir: dir })).toBe(first);
      expect(readFileSync(join(dir, "auth-secret"), "utf8")).toBe(first);
      expect(statSync(join(dir, "auth-secret")).mode & 0o777).toBe(0o600);
    }));
});
