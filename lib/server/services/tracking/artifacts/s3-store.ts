// Artifact bytes in an S3-compatible bucket (AWS S3, MinIO, Ceph RGW, Cloudflare R2), signed with
// SigV4 by aws4fetch over the runtime's fetch. Errors name the operation, key, bucket and S3's
// error code, never the credentials.
import { createHash } from "node:crypto";
import { AwsClient } from "aws4fetch";
import type { ArtifactS3Config } from "@/lib/env";
import { ArtifactStorageError, safeArtifactPath, type ArtifactStore } from "./store";

export interface S3StoreOptions {
  /** Attempts after a 5xx or 429 answer (aws4fetch backs off exponentially from 50 ms). */
  retries?: number;
  /** Per-request limit, retries included. */
  timeoutMs?: number;
}

// Each key segment percent-encoded as SigV4 expects (RFC 3986 unreserved characters kept).
const encodeKey = (key: string) =>
  key
    .split("/")
    .map((s) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`))
    .join("/");

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };
/** One field of S3's XML error body (`<Error><Code>NoSuchKey</Code><Message>...`). */
const xmlField = (xml: string, tag: "Code" | "Message") =>
  new RegExp(`<${tag}>([^<]{0,500})</${tag}>`).exec(xml)?.[1].replace(/&(amp|lt|gt|quot|apos);/g, (_, e: string) => ENTITIES[e]) ?? null;

export class S3ArtifactStore implements ArtifactStore {
  readonly kind = "s3";
  private readonly client: AwsClient;
  private readonly timeoutMs: number;

  constructor(
    private readonly config: ArtifactS3Config,
    opts: S3StoreOptions = {},
  ) {
    this.client = new AwsClient({
      accessKeyId: config.accessKeyId,
      secretAccessKey: config.secretAccessKey,
      sessionToken: config.sessionToken,
      service: "s3",
      region: config.region,
      retries: opts.retries ?? 3,
    });
    this.timeoutMs = opts.timeoutMs ?? 120_000;
  }

  /** The object key in the bucket: the configured prefix, then the artifact key. */
  objectKey(key: string): string {
    const k = safeArtifactPath(key);
    return this.config.prefix ? `${this.config.prefix}/${k}` : k;
  }

  /** Path-style `<endpoint>/<bucket>/<key>` or virtual-hosted `<bucket>.<endpoint host>/<key>`. */
  objectUrl(key: string): string {
    const { endpoint, bucket, forcePathStyle } = this.config;
    const path = encodeKey(this.objectKey(key));
    if (forcePathStyle) return `${endpoint}/${bucket}/${path}`;
    const u = new URL(endpoint);
    return `${u.protocol}//${bucket}.${u.host}/${path}`;
  }

  private async request(op: "GET" | "PUT" | "DELETE", key: string, body?: Uint8Array): Promise<Response> {
    const headers: Record<string, string> = {};
    if (body) {
      // A signed payload hash lets the server reject bytes corrupted on the way.
      headers["x-amz-content-sha256"] = createHash("sha256").update(body).digest("hex");
      headers["content-type"] = "application/octet-stream";
    }
    try {
      return await this.client.fetch(this.objectUrl(key), { method: op, headers, body: body as BodyInit | undefined, signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (e) {
      const err = e as Error & { cause?: { code?: string; message?: string } };
      const why = err.name === "TimeoutError" ? `no answer within ${this.timeoutMs} ms` : (err.cause?.code ?? err.cause?.message ?? err.message);
      throw this.failure(op, key, `cannot reach ${this.config.endpoint} (${why})`);
    }
  }

  private failure(op: string, key: string, detail: string): ArtifactStorageError {
    let text = detail;
    for (const secret of [this.config.secretAccessKey, this.config.sessionToken, this.config.accessKeyId])
      if (secret) text = text.split(secret).join("***");
    return new ArtifactStorageError(`S3 ${op} of '${this.objectKey(key)}' in bucket '${this.config.bucket}' failed: ${text}`);
  }

  private async httpFailure(op: string, key: string, res: Response): Promise<ArtifactStorageError> {
    const xml = await res.text().catch(() => "");
    const code = xmlField(xml, "Code");
    const message = xmlField(xml, "Message");
    return this.failure(op, key, `HTTP ${res.status}${code ? ` ${code}` : ""}${message ? `: ${message}` : ""}`);
  }

  async put(key: string, data: Uint8Array): Promise<void> {
    const res = await this.request("PUT", key, data);
    if (!res.ok) throw await this.httpFailure("PUT", key, res);
    await res.body?.cancel();
  }

  async get(key: string): Promise<Uint8Array | null> {
    const res = await this.request("GET", key);
    if (res.ok) return new Uint8Array(await res.arrayBuffer());
    if (await this.isMissingKey(res)) return null;
    throw await this.httpFailure("GET", key, res);
  }

  async delete(key: string): Promise<void> {
    const res = await this.request("DELETE", key);
    if (res.ok || (await this.isMissingKey(res))) return void (await res.body?.cancel());
    throw await this.httpFailure("DELETE", key, res);
  }

  /** A 404 for the key (NoSuchKey); a missing bucket is a configuration error, not a missing artifact. */
  private async isMissingKey(res: Response): Promise<boolean> {
    if (res.status !== 404) return false;
    const xml = await res.clone().text().catch(() => "");
    return xmlField(xml, "Code") !== "NoSuchBucket";
  }
}
