import { setRequestLocale } from "next-intl/server";
import { notFound, redirect } from "next/navigation";
import { AuthorEditor } from "@/components/teach/author-editor";
import { isLocale } from "@/lib/i18n/routing";
import { db } from "@/lib/server/db";
import { isDomainError } from "@/lib/server/errors";
import { getPageUser } from "@/lib/server/page-session";
import { getDraft } from "@/lib/server/services/teach/drafts";
import "katex/dist/katex.min.css";

// Author mode: only the lesson's author and co-authors get here (anyone else: not found).
export default async function AuthorLessonPage({ params }: { params: Promise<{ locale: string; slug: string }> }) {
  const { locale, slug } = await params;
  if (!isLocale(locale)) notFound();
  setRequestLocale(locale);
  const user = await getPageUser();
  if (!user) redirect(`/${locale}/sign-in?next=/${locale}/teach/lessons/${encodeURIComponent(slug)}`);
  const draft = await getDraft({ db, user }, { slug }).catch((e) => {
    if (isDomainError(e)) return null;
    throw e;
  });
  if (!draft) notFound();
  return <AuthorEditor slug={slug} initial={draft.bundle} revision={draft.revision} publishedVersion={draft.publishedVersion} mine={draft.mine} files={draft.files} />;
}
