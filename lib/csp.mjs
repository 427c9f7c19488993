// Content-Security-Policy values, shared by proxy.ts (pages, with a per-request nonce) and
// next.config.mjs (static files and API responses). Plain JavaScript so next.config.mjs can import it.
//
// Three policies, because the browser applies a policy to the document or worker that a
// response becomes, never to a subresource:
//  - pages: scripts only with this request's nonce ('strict-dynamic' lets those load Next's
//    chunks, Monaco's AMD loader and their imports); no 'unsafe-inline', no 'unsafe-eval'.
//  - worker scripts (/_next/static, /vendor): a dedicated worker takes its policy from its own
//    script's response. The kernel worker compiles each cell with AsyncFunction, so these carry
//    'unsafe-eval'; a page never does.
//  - API and data responses: nothing may run or be framed. The artifact download route sets its
//    own stricter `sandbox; default-src 'none'` and is left out of this rule (see next.config.mjs).

/** Directives every HTML page and worker share. */
const SHARED = [
  "default-src 'self'",
  "worker-src 'self' blob:",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self' blob: data:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
];

/**
 * A page's policy. `nonce` is base64 from 16+ random bytes, fresh for each request. In
 * development React rebuilds server error stacks with eval, so 'unsafe-eval' is added there only.
 * 'self' stays for browsers without 'strict-dynamic' (which then ignore it); 'wasm-unsafe-eval'
 * lets a page compile WebAssembly, which cannot run JavaScript from strings.
 * @param {string} nonce
 * @param {{ dev?: boolean }} [options]
 */
export function pageCsp(nonce, { dev = false } = {}) {
  const script = ["'self'", `'nonce-${nonce}'`, "'strict-dynamic'", "'wasm-unsafe-eval'", ...(dev ? ["'unsafe-eval'"] : [])];
  return [SHARED[0], `script-src ${script.join(" ")}`, ...SHARED.slice(1)].join("; ");
}

/** The policy a worker started from one of our script files runs under. */
export const workerScriptCsp = [SHARED[0], "script-src 'self' 'unsafe-eval' 'wasm-unsafe-eval' blob:", ...SHARED.slice(1)].join("; ");

/** JSON, data files and other non-page responses: nothing runs, nothing frames them. */
export const apiCsp = "default-src 'none'; frame-ancestors 'none'";

/** A fresh nonce: 16 random bytes, base64. */
export function createNonce() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes));
}
