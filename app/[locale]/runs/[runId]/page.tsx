import { setRequestLocale } from "next-intl/server";
import { notFound, redirect } from "next/navigation";
import { RunDetail } from "@/components/tracking/run-detail";
import { getPageUser } from "@/lib/server/page-session";

export default async function RunPage({ params }: { params: Promise<{ locale: string; runId: string }> }) {
  const { locale, runId } = await params;
  setRequestLocale(locale);
  const user = await getPageUser();
  if (!user) redirect(`/${locale}/sign-in?next=/${locale}/runs/${encodeURIComponent(runId)}`);
  if (!/^[0-9a-f]{32}$/.test(runId)) notFound();
  return <RunDetail runId={runId} />;
}
