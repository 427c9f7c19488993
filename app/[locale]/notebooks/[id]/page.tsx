import { notFound, redirect } from "next/navigation";
import { getTranslations, setRequestLocale } from "next-intl/server";
import { NotebookView } from "@/components/notebook/notebook-view";
import { prerenderMarkdown } from "@/components/notebook/prerender";
import { Link } from "@/lib/i18n/navigation";
import { createNotebook } from "@/lib/notebook/document";
import { db } from "@/lib/server/db";
import { getPageUser } from "@/lib/server/page-session";
import * as notebooks from "@/lib/server/services/notebooks";
import "katex/dist/katex.min.css";

/** Markdown of a student's own notebook rendered on the server; the rest renders in the browser. */
const SCRATCH_PRERENDER_CHARS = 50_000;

// "local-…" ids are a guest's notebooks, kept only in their browser; others live on the server.
export default async function NotebookPage({ params }: { params: Promise<{ locale: string; id: string }> }) {
  const { locale, id } = await params;
  setRequestLocale(locale);
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(id)) notFound();
  const [user, t] = await Promise.all([getPageUser(), getTranslations("notebook")]);
  const back = (
    <Link href="/notebooks" className="text-xs text-stone-500 hover:text-accent">← {t("list.title")}</Link>
  );
  if (id.startsWith("local-")) {
    const original = createNotebook({ title: t("list.untitled") });
    return (
      <article className="mx-auto max-w-4xl">
        <NotebookView storageKey={`local:${id}`} serverKey={null} original={original} prerendered={{}} resettable={false} signedIn={Boolean(user)} userId={user?.id ?? null} editableTitle header={back} />
      </article>
    );
  }
  if (!user) redirect(`/${locale}/sign-in?next=/${locale}/notebooks/${id}`);
  let record: Awaited<ReturnType<typeof notebooks.get>>;
  try {
    record = await notebooks.get({ db, user }, { kind: "scratch", id });
  } catch {
    notFound();
  }
  if (!record) notFound();
  const original = { ...record.content, metadata: { ...record.content.metadata, title: record.content.metadata.title || record.title } };
  return (
    <article className="mx-auto max-w-4xl">
      <NotebookView
        storageKey={`scratch:${id}`}
        serverKey={{ kind: "scratch", id }}
        original={original}
        prerendered={prerenderMarkdown(original, { maxChars: SCRATCH_PRERENDER_CHARS })}
        resettable={false}
        signedIn
        userId={user.id}
        editableTitle
        header={back}
      />
    </article>
  );
}
