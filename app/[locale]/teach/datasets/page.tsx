import { setRequestLocale } from "next-intl/server";
import { notFound, redirect } from "next/navigation";
import { TeachDatasets } from "@/components/teach/teach-datasets";
import { isLocale } from "@/lib/i18n/routing";
import { getPageUser } from "@/lib/server/page-session";

export default async function TeachDatasetsPage({ params }: { params: Promise<{ locale: string }> }) {
  const { locale } = await params;
  if (!isLocale(locale)) notFound();
  setRequestLocale(locale);
  const user = await getPageUser();
  if (!user) redirect(`/${locale}/sign-in?next=/${locale}/teach/datasets`);
  if (user.role !== "instructor") notFound();
  return <TeachDatasets />;
}
