"use client";
// How to call an endpoint: curl with a token, the TF Serving URL, and fetch from a notebook.
import { useTranslations } from "next-intl";
import { Card } from "@/components/ui/card";
import { curlSnippet, fetchSnippet, predictUrl } from "./format";

export function HowToCall({ origin, name, width }: { origin: string; name: string; width?: number }) {
  const t = useTranslations("models.howTo");
  return (
    <Card>
      <h2 className="font-semibold">{t("title")}</h2>
      <p className="mt-2 text-sm">{t("tfServing")}</p>
      <code className="block break-all rounded bg-stone-100 px-2 py-1 text-xs" data-testid="endpoint-url">{predictUrl(origin, name)}</code>
      <p className="mt-2 text-sm">{t("curl")}</p>
      <pre className="overflow-x-auto rounded bg-stone-100 px-2 py-1 text-xs">{curlSnippet(origin, name, width)}</pre>
      <p className="mt-2 text-sm">{t("notebook")}</p>
      <pre className="overflow-x-auto rounded bg-stone-100 px-2 py-1 text-xs">{fetchSnippet(name)}</pre>
    </Card>
  );
}
