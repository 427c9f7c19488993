// Runs before every page render (not static files, API or data routes: see `config.matcher`):
// gives the request a fresh CSP nonce. Next reads the nonce from the request's
// Content-Security-Policy header and puts it on its own scripts, so pages run no inline script
// without it. Only a nonce and a string per request: locale routing stays with app/route.ts and
// the [locale] segment.
import { NextResponse, type NextRequest } from "next/server";
import { createNonce, pageCsp } from "@/lib/csp.mjs";

export function proxy(request: NextRequest) {
  const csp = pageCsp(createNonce(), { dev: process.env.NODE_ENV === "development" });
  const headers = new Headers(request.headers);
  headers.set("content-security-policy", csp);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("Content-Security-Policy", csp);
  return response;
}

export const config = {
  matcher: [
    {
      // Everything but static chunks and vendor files (their worker policy is in next.config.mjs),
      // API and dataset routes (no page there; next.config.mjs gives them a locked-down policy, and
      // the artifact downloads keep their own sandbox).
      source: "/((?!api/|ajax-api/|_next/static/|_next/image|vendor/|datasets/).*)",
      // Router prefetches fetch RSC data, never a document: no policy needed.
      missing: [
        { type: "header", key: "next-router-prefetch" },
        { type: "header", key: "purpose", value: "prefetch" },
      ],
    },
  ],
};
