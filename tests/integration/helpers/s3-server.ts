// A real S3-compatible server for integration tests: s3rver (pure Node) on a free port, objects
// in a temp directory, one bucket. s3rver 3.7.1 checks a SigV4 request's access key id but not
// its signature ("Signature version 4 calculation is unimplemented" in its authentication
// middleware), so a check written from AWS's SigV4 specification runs in front of it: a wrong
// secret, or a key encoded differently from how it was signed, is refused as AWS would refuse it.
import { createHash, createHmac } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AddressInfo } from "node:net";
import S3rver from "s3rver";

export interface TestS3Server {
  endpoint: string;
  bucket: string;
  /** The key pair s3rver accepts. */
  accessKeyId: string;
  secretAccessKey: string;
  /** Requests whose SigV4 signature was checked and matched. */
  verifiedRequests: number;
  close(): Promise<void>;
}

const ACCESS_KEY_ID = "S3RVER";
const SECRET = "S3RVER";

const hmac = (key: Buffer | string, data: string) => createHmac("sha256", key).update(data).digest();
const rfc3986 = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** The signature AWS would compute for this request (header authentication), or null if it is not SigV4-signed. */
function expectedSignature(method: string, rawUrl: string, headers: Record<string, string | string[] | undefined>): { given: string; expected: string } | null {
  const auth = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/.exec(String(headers.authorization ?? ""));
  if (!auth) return null;
  const [, , date, region, service, signedHeaders, given] = auth;
  const url = new URL(rawUrl, "http://s3.test");
  // S3's canonical URI: the decoded path, each segment encoded once.
  const canonicalUri = url.pathname.split("/").map((s) => rfc3986(decodeURIComponent(s))).join("/");
  const query = [...url.searchParams].map(([k, v]) => `${rfc3986(k)}=${rfc3986(v)}`).sort().join("&");
  const canonicalHeaders = signedHeaders
    .split(";")
    .map((h) => `${h}:${String(headers[h] ?? "").trim().replace(/\s+/g, " ")}\n`)
    .join("");
  const payloadHash = String(headers["x-amz-content-sha256"] ?? "UNSIGNED-PAYLOAD");
  const canonicalRequest = [method, canonicalUri, query, canonicalHeaders, signedHeaders, payloadHash].join("\n");
  const scope = `${date}/${region}/${service}/aws4_request`;
  const stringToSign = ["AWS4-HMAC-SHA256", String(headers["x-amz-date"]), scope, createHash("sha256").update(canonicalRequest).digest("hex")].join("\n");
  const key = hmac(hmac(hmac(hmac(`AWS4${SECRET}`, date), region), service), "aws4_request");
  return { given, expected: hmac(key, stringToSign).toString("hex") };
}

interface KoaContext {
  method: string;
  req: { url?: string; headers: Record<string, string | string[] | undefined> };
  status: number;
  type: string;
  body: unknown;
}

export async function startS3Server(bucket = "cuaderno-test"): Promise<TestS3Server> {
  const directory = mkdtempSync(join(tmpdir(), "cuaderno-s3rver-"));
  const server = new S3rver({ address: "127.0.0.1", port: 0, silent: true, directory, configureBuckets: [{ name: bucket }] });
  const result = { verifiedRequests: 0 };
  // Koa composes app.middleware when the server starts listening: this check runs first.
  (server as unknown as { middleware: ((ctx: KoaContext, next: () => Promise<void>) => Promise<void>)[] }).middleware.unshift(async (ctx, next) => {
    const sig = expectedSignature(ctx.method, ctx.req.url ?? "/", ctx.req.headers);
    if (sig && sig.given !== sig.expected) {
      ctx.status = 403;
      ctx.type = "application/xml";
      ctx.body =
        '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match the signature you provided. Check your key and signing method.</Message></Error>';
      return;
    }
    if (sig) result.verifiedRequests++;
    await next();
  });
  const address = (await server.run()) as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    bucket,
    accessKeyId: ACCESS_KEY_ID,
    secretAccessKey: SECRET,
    get verifiedRequests() {
      return result.verifiedRequests;
    },
    async close() {
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
