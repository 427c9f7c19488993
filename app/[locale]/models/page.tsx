import { setRequestLocale } from "next-intl/server";
import { redirect } from "next/navigation";
import { MyEndpoints } from "@/components/endpoints/my-endpoints";
import { env } from "@/lib/env";
import { getPageUser } from "@/lib/server/page-session";

export default async function ModelsPage({ params }: { params: Promise<{ locale: string }> }) {
  const { locale } = await params;
  setRequestLocale(locale);
  const user = await getPageUser();
  if (!user) redirect(`/${locale}/sign-in?next=/${locale}/models`);
  return <MyEndpoints origin={env.CUADERNO_URL} />;
}
