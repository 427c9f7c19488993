import type { Metadata } from "next";
import { getTranslations, setRequestLocale } from "next-intl/server";
import { redirect } from "next/navigation";
import { TokensSettings } from "@/components/tracking/tokens-settings";
import { env } from "@/lib/env";
import { getPageUser } from "@/lib/server/page-session";

export async function generateMetadata({ params }: { params: Promise<{ locale: string }> }): Promise<Metadata> {
  const { locale } = await params;
  return { title: (await getTranslations({ locale, namespace: "tracking.tokens" }))("title") };
}

export default async function TokensPage({ params }: { params: Promise<{ locale: string }> }) {
  const { locale } = await params;
  setRequestLocale(locale);
  const user = await getPageUser();
  if (!user) redirect(`/${locale}/sign-in?next=/${locale}/settings/tokens`);
  return <TokensSettings origin={env.CUADERNO_URL} />;
}
