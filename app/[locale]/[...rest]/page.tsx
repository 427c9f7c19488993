// Any unknown path under /es or /en gets the localized 404 of app/[locale]/not-found.tsx, rendered
// per request like every page (so its scripts carry the CSP nonce from proxy.ts), rather than
// Next's prerendered global 404, whose scripts carry none.
import { notFound } from "next/navigation";

export default function UnknownPath() {
  notFound();
}
