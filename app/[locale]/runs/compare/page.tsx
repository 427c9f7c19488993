import type { Metadata } from "next";
import { getTranslations, setRequestLocale } from "next-intl/server";
import { redirect } from "next/navigation";
import { parseCompareIds } from "@/components/tracking/compare-ids";
import { CompareRuns } from "@/components/tracking/compare-runs";
import { Alert } from "@/components/ui/alert";
import { Link } from "@/lib/i18n/navigation";
import { getPageUser } from "@/lib/server/page-session";

export async function generateMetadata({ params }: { params: Promise<{ locale: string }> }): Promise<Metadata> {
  const { locale } = await params;
  return { title: (await getTranslations({ locale, namespace: "tracking.compare" }))("title") };
}

export default async function ComparePage({
  params,
  searchParams,
}: {
  params: Promise<{ locale: string }>;
  searchParams: Promise<{ ids?: string | string[] }>;
}) {
  const { locale } = await params;
  setRequestLocale(locale);
  const { ids } = await searchParams;
  const raw = Array.isArray(ids) ? ids.join(",") : ids;
  const user = await getPageUser();
  if (!user) redirect(`/${locale}/sign-in?next=${encodeURIComponent(`/${locale}/runs/compare?ids=${raw ?? ""}`)}`);
  const parsed = parseCompareIds(raw);
  if ("problem" in parsed) {
    const t = await getTranslations("tracking");
    return (
      <div className="flex flex-col gap-3">
        <h1 className="text-2xl font-bold">{t("compare.title")}</h1>
        <Alert tone="error" testId="compare-error">{t(`compare.${parsed.problem}`)}</Alert>
        <Link href="/experiments" className="text-sm text-accent hover:underline">{t("runs.back")}</Link>
      </div>
    );
  }
  return <CompareRuns ids={parsed.ids} />;
}
