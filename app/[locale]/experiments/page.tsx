import type { Metadata } from "next";
import { getTranslations, setRequestLocale } from "next-intl/server";
import { redirect } from "next/navigation";
import { ExperimentsList } from "@/components/tracking/experiments-list";
import { listLessons } from "@/lib/content/lessons";
import { isLocale } from "@/lib/i18n/routing";
import { getPageUser } from "@/lib/server/page-session";

export async function generateMetadata({ params }: { params: Promise<{ locale: string }> }): Promise<Metadata> {
  const { locale } = await params;
  return { title: (await getTranslations({ locale, namespace: "tracking.experiments" }))("title") };
}

export default async function ExperimentsPage({ params }: { params: Promise<{ locale: string }> }) {
  const { locale } = await params;
  setRequestLocale(locale);
  const user = await getPageUser();
  if (!user) redirect(`/${locale}/sign-in?next=/${locale}/experiments`);
  const lang = isLocale(locale) ? locale : "es";
  const lessonTitles = Object.fromEntries(listLessons().map((l) => [l.slug, l.title[lang]]));
  return <ExperimentsList lessonTitles={lessonTitles} />;
}
