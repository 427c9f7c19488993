// `/` → `/es` or `/en`, by the browser's Accept-Language.
import { negotiateLocale } from "@/lib/i18n/negotiate";

export function GET(req: Request) {
  const locale = negotiateLocale(req.headers.get("accept-language"));
  return new Response(null, { status: 307, headers: { Location: `/${locale}`, Vary: "Accept-Language" } });
}
