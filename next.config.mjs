import createNextIntlPlugin from "next-intl/plugin";

import { apiCsp, workerScriptCsp } from "./lib/csp.mjs";

const withNextIntl = createNextIntlPlugin("./lib/i18n/request.ts");

// Pages get their Content-Security-Policy, with a per-request nonce, from proxy.ts.
const securityHeaders = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=()" },
  { key: "Cross-Origin-Resource-Policy", value: "same-origin" },
];

// Notebook pages are cross-origin isolated so WebAssembly threads and SharedArrayBuffer work.
const isolationHeaders = [
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
  { key: "Cross-Origin-Embedder-Policy", value: "require-corp" },
];
// A cross-origin-isolated page may only start workers whose script response carries a
// compatible COEP: the kernel worker (a Turbopack chunk) and the tfjs/DuckDB/Monaco workers.
// Their CSP is the policy such a worker runs under (the kernel needs 'unsafe-eval'; pages do not).
const workerScriptHeaders = [
  { key: "Cross-Origin-Embedder-Policy", value: "require-corp" },
  { key: "Content-Security-Policy", value: workerScriptCsp },
];
// API and data responses: nothing runs. Artifact downloads (`…/mlflow-artifacts/artifacts/<run>/<path>`)
// are left out: their route sets a stricter `sandbox; default-src 'none'`, which a rule here would replace.
const apiHeaders = [{ key: "Content-Security-Policy", value: apiCsp }];
const notArtifactDownload = ":path((?!2\\.0/mlflow-artifacts/artifacts/).*)";

/** @type {import('next').NextConfig} */
const nextConfig = {
  // Separate build folders let parallel end-to-end runs (one per port) not clobber each other.
  distDir: process.env.CUADERNO_DIST_DIR || ".next",
  reactStrictMode: true,
  // Types are checked by `npm test` (tsc --noEmit over the whole project, tests included);
  // the production build does not repeat it.
  typescript: { ignoreBuildErrors: true },
  poweredByHeader: false,
  // Turbopack keeps a cache under the build folder for the next build (on by default, ~1 min to
  // write here). CI builds a clean clone once, so .ci/run turns it off with CUADERNO_BUILD_CACHE=0.
  experimental: { turbopackFileSystemCacheForBuild: process.env.CUADERNO_BUILD_CACHE !== "0" },
  serverExternalPackages: ["better-sqlite3", "@prisma/adapter-better-sqlite3", "pg", "@prisma/adapter-pg", "ioredis"],
  async headers() {
    return [
      { source: "/:path*", headers: securityHeaders },
      { source: "/:locale(es|en)/lessons/:path*", headers: isolationHeaders },
      { source: "/:locale(es|en)/notebooks/:path*", headers: isolationHeaders },
      { source: "/:locale(es|en)/notebooks", headers: isolationHeaders },
      { source: "/_next/static/:path*", headers: workerScriptHeaders },
      { source: "/vendor/:path*", headers: workerScriptHeaders },
      { source: `/api/${notArtifactDownload}`, headers: apiHeaders },
      { source: `/ajax-api/${notArtifactDownload}`, headers: apiHeaders },
      { source: "/datasets/:path*", headers: apiHeaders },
    ];
  },
};

export default withNextIntl(nextConfig);
