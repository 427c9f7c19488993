import { setRequestLocale } from "next-intl/server";
import { redirect } from "next/navigation";
import { ClassEndpoints } from "@/components/endpoints/class-endpoints";
import { getPageUser } from "@/lib/server/page-session";

export default async function ClassEndpointsPage({ params }: { params: Promise<{ locale: string; classId: string }> }) {
  const { locale, classId } = await params;
  setRequestLocale(locale);
  const user = await getPageUser();
  if (!user) redirect(`/${locale}/sign-in?next=/${locale}/classes/${encodeURIComponent(classId)}/endpoints`);
  return <ClassEndpoints classId={classId} />;
}
