import { setRequestLocale } from "next-intl/server";
import { NotebookList } from "@/components/notebook/notebook-list";
import { getPageUser } from "@/lib/server/page-session";

export default async function NotebooksPage({ params }: { params: Promise<{ locale: string }> }) {
  const { locale } = await params;
  setRequestLocale(locale);
  const user = await getPageUser();
  return <NotebookList signedIn={Boolean(user)} />;
}
