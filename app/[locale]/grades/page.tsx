import { setRequestLocale } from "next-intl/server";
import { redirect } from "next/navigation";
import { MyGrades } from "@/components/gradebook/my-grades";
import { getPageUser } from "@/lib/server/page-session";

export default async function MyGradesPage({ params }: { params: Promise<{ locale: string }> }) {
  const { locale } = await params;
  setRequestLocale(locale);
  const user = await getPageUser();
  if (!user) redirect(`/${locale}/sign-in?next=/${locale}/grades`);
  return <MyGrades />;
}
