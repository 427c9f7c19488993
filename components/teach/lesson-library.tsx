"use client";
// An instructor's lesson library (issue 15 point 1): their lessons, and four ways to start one —
// from scratch, a copy of a course lesson, an uploaded .ipynb or a lesson folder zip. A refused
// upload says why in the instructor's language and creates nothing.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useLocale, useTranslations } from "next-intl";
import { useState, type ChangeEvent } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/field";
import { Link, useRouter } from "@/lib/i18n/navigation";
import { useTRPC } from "@/lib/trpc/react";
import { useTeachError } from "./use-teach-error";

function toBase64(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

export function LessonLibrary({ builtins }: { builtins: { slug: string; title: string }[] }) {
  const t = useTranslations("teach.library");
  const locale = useLocale() as "es" | "en";
  const trpc = useTRPC();
  const qc = useQueryClient();
  const router = useRouter();
  const teachError = useTeachError();
  const [error, setError] = useState<string | null>(null);
  const [title, setTitle] = useState("");
  const [language, setLanguage] = useState<"es" | "en">(locale);
  const [builtin, setBuiltin] = useState(builtins[0]?.slug ?? "");
  const lessons = useQuery(trpc.teach.library.queryOptions());
  const opened = { onSuccess: (r: { slug: string }) => router.push(`/teach/lessons/${r.slug}`), onError: (e: unknown) => setError(teachError(e)) };
  const create = useMutation(trpc.teach.createBlank.mutationOptions(opened));
  const copy = useMutation(trpc.teach.copyBuiltin.mutationOptions(opened));
  const ipynb = useMutation(trpc.teach.importIpynb.mutationOptions(opened));
  const zip = useMutation(trpc.teach.importZip.mutationOptions(opened));
  const remove = useMutation(trpc.teach.remove.mutationOptions({ onSuccess: () => qc.invalidateQueries(trpc.teach.library.queryFilter()), onError: (e) => setError(teachError(e)) }));
  const busy = create.isPending || copy.isPending || ipynb.isPending || zip.isPending;

  const upload = (kind: "ipynb" | "zip") => async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    e.target.value = "";
    if (!file) return;
    setError(null);
    if (kind === "ipynb") ipynb.mutate({ text: await file.text(), locale: language });
    else zip.mutate({ base64: toBase64(new Uint8Array(await file.arrayBuffer())) });
  };

  return (
    <div className="flex flex-col gap-6" data-testid="teach-library">
      <header>
        <h1 className="text-2xl font-bold">{t("title")}</h1>
        <p className="mt-1 text-stone-600">{t("intro")}</p>
        <Link href="/teach/datasets" className="mt-1 inline-block text-sm text-accent hover:underline" data-testid="datasets-link">{t("datasetsLink")}</Link>
      </header>
      {error && <Alert tone="error" testId="teach-error">{error}</Alert>}
      <section className="grid gap-4 rounded-lg border border-stone-200 bg-white p-4 sm:grid-cols-2">
        <form
          className="flex flex-col gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            setError(null);
            create.mutate({ title, locale: language });
          }}
        >
          <Field label={t("newTitle")}>
            <Input value={title} onChange={(e) => setTitle(e.target.value)} maxLength={200} data-testid="new-lesson-title" />
          </Field>
          <Field label={t("newLanguage")}>
            <select className="rounded-md border border-stone-300 px-2 py-1.5 text-sm" value={language} onChange={(e) => setLanguage(e.target.value as "es" | "en")}>
              <option value="es">Español</option>
              <option value="en">English</option>
            </select>
          </Field>
          <Button type="submit" disabled={busy}>{t("create")}</Button>
        </form>
        <div className="flex flex-col gap-3">
          <Field label={t("copyBuiltin")}>
            <div className="flex gap-2">
              <select className="flex-1 rounded-md border border-stone-300 px-2 py-1.5 text-sm" value={builtin} onChange={(e) => setBuiltin(e.target.value)} data-testid="builtin-select">
                {builtins.map((b) => (
                  <option key={b.slug} value={b.slug}>{b.title}</option>
                ))}
              </select>
              <Button type="button" variant="secondary" disabled={busy || !builtin} onClick={() => (setError(null), copy.mutate({ builtinSlug: builtin }))} data-testid="copy-builtin">
                {t("copy")}
              </Button>
            </div>
          </Field>
          <Field label={t("uploadIpynb")}>
            <input type="file" accept=".ipynb,application/x-ipynb+json,application/json" onChange={upload("ipynb")} disabled={busy} data-testid="upload-ipynb" />
          </Field>
          <Field label={t("uploadZip")}>
            <input type="file" accept=".zip,application/zip" onChange={upload("zip")} disabled={busy} data-testid="upload-zip" />
          </Field>
          {busy && <p className="text-sm text-stone-500">{t("uploading")}</p>}
        </div>
      </section>
      <section>
        {lessons.data?.length === 0 && <p className="text-stone-600">{t("empty")}</p>}
        <ul className="grid gap-3 sm:grid-cols-2" data-testid="teach-lessons">
          {lessons.data?.map((l) => (
            <li key={l.slug} className="rounded-lg border border-stone-200 bg-white p-4 shadow-sm" data-testid="teach-lesson">
              <h2 className="font-semibold">{l.title[locale] ?? l.title.es ?? l.title.en}</h2>
              <p className="text-xs text-stone-500">
                {l.publishedVersion ? t("published", { version: l.publishedVersion }) : t("draftOnly")} · {t("languages", { languages: l.languages.join(", ") })}
                {!l.mine && ` · ${t("coauthored")}`}
              </p>
              <div className="mt-2 flex gap-2">
                <Link href={`/teach/lessons/${l.slug}`} className="rounded-md border border-stone-300 px-3 py-1 text-sm hover:bg-stone-100">{t("open")}</Link>
                {l.mine && (
                  <Button variant="danger" onClick={() => window.confirm(t("confirmDelete")) && remove.mutate({ slug: l.slug })}>
                    {t("delete")}
                  </Button>
                )}
              </div>
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
