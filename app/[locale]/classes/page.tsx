import { setRequestLocale } from "next-intl/server";
import { redirect } from "next/navigation";
import { ClassesDashboard } from "@/components/class/classes-dashboard";
import { getPageUser } from "@/lib/server/page-session";

export default async function ClassesPage({ params }: { params: Promise<{ locale: string }> }) {
  const { locale } = await params;
  setRequestLocale(locale);
  const user = await getPageUser();
  if (!user) redirect(`/${locale}/sign-in?next=/${locale}/classes`);
  return <ClassesDashboard role={user.role} />;
}
