import { setRequestLocale } from "next-intl/server";
import { NewNotebook } from "@/components/notebook/notebook-list";
import { getPageUser } from "@/lib/server/page-session";

export default async function NewNotebookPage({ params }: { params: Promise<{ locale: string }> }) {
  const { locale } = await params;
  setRequestLocale(locale);
  const user = await getPageUser();
  return <NewNotebook signedIn={Boolean(user)} />;
}
