import createNextIntlPlugin from "next-intl/plugin";

const withNextIntl = createNextIntlPlugin("./lib/i18n/request.ts");

// The notebook runs student code in a Web Worker (eval of transpiled cells), WebAssembly
// (tfjs-wasm, DuckDB) and blob: workers; everything else is same-origin only.
const csp = [
  "default-src 'self'",
  "script-src 'self' 'unsafe-inline' 'unsafe-eval' 'wasm-unsafe-eval' blob:",
  "worker-src 'self' blob:",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self' blob: data:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

const securityHeaders = [
  { key: "Content-Security-Policy", value: csp },
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
const workerScriptHeaders = [{ key: "Cross-Origin-Embedder-Policy", value: "require-corp" }];

/** @type {import('next').NextConfig} */
const nextConfig = {
  // Separate build folders let parallel end-to-end runs (one per port) not clobber each other.
  distDir: process.env.CUADERNO_DIST_DIR || ".next",
  reactStrictMode: true,
  // Types are checked by `npm test` (tsc --noEmit over the whole project, tests included);
  // the production build does not repeat it.
  typescript: { ignoreBuildErrors: true },
  poweredByHeader: false,
  serverExternalPackages: ["better-sqlite3", "@prisma/adapter-better-sqlite3", "pg", "@prisma/adapter-pg"],
  async headers() {
    return [
      { source: "/:path*", headers: securityHeaders },
      { source: "/:locale(es|en)/lessons/:path*", headers: isolationHeaders },
      { source: "/:locale(es|en)/notebooks/:path*", headers: isolationHeaders },
      { source: "/:locale(es|en)/notebooks", headers: isolationHeaders },
      { source: "/_next/static/:path*", headers: workerScriptHeaders },
      { source: "/vendor/:path*", headers: workerScriptHeaders },
    ];
  },
};

export default withNextIntl(nextConfig);
