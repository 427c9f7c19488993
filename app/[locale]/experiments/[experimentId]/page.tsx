import { setRequestLocale } from "next-intl/server";
import { notFound, redirect } from "next/navigation";
import { ExperimentRuns } from "@/components/tracking/runs-table";
import { getPageUser } from "@/lib/server/page-session";

export default async function ExperimentPage({
  params,
  searchParams,
}: {
  params: Promise<{ locale: string; experimentId: string }>;
  searchParams: Promise<{ filter?: string | string[] }>;
}) {
  const { locale, experimentId } = await params;
  setRequestLocale(locale);
  const user = await getPageUser();
  if (!user) redirect(`/${locale}/sign-in?next=/${locale}/experiments/${encodeURIComponent(experimentId)}`);
  const id = /^[1-9]\d{0,9}$/.test(experimentId) ? Number(experimentId) : NaN;
  if (!Number.isSafeInteger(id)) notFound();
  const { filter } = await searchParams;
  const initialFilter = (Array.isArray(filter) ? filter[0] : filter)?.slice(0, 2000) ?? "";
  return <ExperimentRuns key={id} experimentId={id} initialFilter={initialFilter} />;
}
