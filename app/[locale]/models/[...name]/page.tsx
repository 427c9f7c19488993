import { setRequestLocale } from "next-intl/server";
import { notFound, redirect } from "next/navigation";
import { EndpointView } from "@/components/endpoints/endpoint-view";
import { modelRefFromSegments } from "@/components/endpoints/format";
import { env } from "@/lib/env";
import { getPageUser } from "@/lib/server/page-session";

/** `/models/<name>` (the owner's) or `/models/<ownerId>/<name>` (a classmate's or a student's, for an instructor). */
export default async function EndpointPage({ params }: { params: Promise<{ locale: string; name: string[] }> }) {
  const { locale, name } = await params;
  setRequestLocale(locale);
  const ref = modelRefFromSegments(name);
  if (!ref) notFound();
  const user = await getPageUser();
  if (!user) redirect(`/${locale}/sign-in?next=/${locale}/models/${name.join("/")}`);
  return <EndpointView key={ref} name={ref} origin={env.CUADERNO_URL} />;
}
