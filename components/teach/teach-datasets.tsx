"use client";
// An instructor's own CSV datasets (issue 15 point 7): upload (≤ 50 MB, with origin and licence),
// the inferred column types and a preview, delete. A refused file says why, translated.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useRef, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/field";
import { useTRPC } from "@/lib/trpc/react";
import { useTeachError } from "./use-teach-error";

interface Uploaded {
  name: string;
  rowCount: number;
  columns: { name: string; type: string }[];
  preview: (string | null)[][];
}

export function TeachDatasets() {
  const t = useTranslations("teach.datasets");
  const te = useTranslations("teach");
  const trpc = useTRPC();
  const qc = useQueryClient();
  const teachError = useTeachError();
  const list = useQuery(trpc.teach.datasets.queryOptions());
  const remove = useMutation(trpc.teach.removeDataset.mutationOptions({ onSuccess: () => qc.invalidateQueries(trpc.teach.datasets.queryFilter()), onError: (e) => setError(teachError(e)) }));
  const [name, setName] = useState("");
  const [origin, setOrigin] = useState("");
  const [licence, setLicence] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [shown, setShown] = useState<Uploaded | null>(null);
  const file = useRef<HTMLInputElement>(null);

  const upload = async () => {
    const f = file.current?.files?.[0];
    if (!f) return;
    setError(null);
    setBusy(true);
    try {
      const q = new URLSearchParams({ name, origin, licence });
      const r = await fetch(`/api/teach/datasets?${q}`, { method: "POST", body: f, headers: { "content-type": "text/csv" } });
      const body = (await r.json()) as Uploaded & { error?: { key?: string | null; message: string; params?: Record<string, string | number> } };
      if (!r.ok) {
        const key = body.error?.key?.startsWith("teach.") ? body.error.key.slice(6) : null;
        setError(key && te.has(key) ? te(key, body.error?.params ?? {}) : (body.error?.message ?? String(r.status)));
        return;
      }
      setShown(body);
      void qc.invalidateQueries(trpc.teach.datasets.queryFilter());
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="flex flex-col gap-4" data-testid="teach-datasets">
      <h1 className="text-2xl font-bold">{t("title")}</h1>
      <p className="text-stone-600">{t("intro")}</p>
      {error && <Alert tone="error" testId="dataset-error">{error}</Alert>}
      <form
        className="grid gap-2 rounded-lg border border-stone-200 bg-white p-4 sm:grid-cols-2"
        onSubmit={(e) => {
          e.preventDefault();
          void upload();
        }}
      >
        <Field label={t("name")}>
          <Input value={name} onChange={(e) => setName(e.target.value)} maxLength={64} required data-testid="dataset-name" />
        </Field>
        <Field label={t("file")}>
          <input ref={file} type="file" accept=".csv,text/csv" required data-testid="dataset-file" />
        </Field>
        <Field label={t("origin")}>
          <Input value={origin} onChange={(e) => setOrigin(e.target.value)} maxLength={500} />
        </Field>
        <Field label={t("licence")}>
          <Input value={licence} onChange={(e) => setLicence(e.target.value)} maxLength={200} />
        </Field>
        <Button type="submit" disabled={busy} data-testid="dataset-upload">{t("upload")}</Button>
      </form>
      {shown && (
        <section className="overflow-x-auto rounded-lg border border-stone-200 bg-white p-3" data-testid="dataset-preview">
          <h2 className="font-semibold">
            {shown.name} — {t("rows", { rows: shown.rowCount })}
          </h2>
          <table className="mt-2 text-xs">
            <thead>
              <tr>
                {shown.columns.map((c) => (
                  <th key={c.name} className="px-2 text-left">
                    {c.name} <span className="font-normal text-stone-500">({c.type})</span>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {shown.preview.map((row, i) => (
                <tr key={i} className="border-t border-stone-100">
                  {row.map((v, k) => (
                    <td key={k} className="px-2">{v ?? "—"}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
      {list.data?.length === 0 && <p className="text-sm text-stone-500">{t("empty")}</p>}
      <ul className="flex flex-col gap-1 text-sm" data-testid="dataset-list">
        {list.data?.map((d) => (
          <li key={d.name} className="flex items-center gap-2">
            <code>{d.name}</code>
            <span className="text-stone-500">{t("rows", { rows: d.rowCount })} · {d.columns.map((c) => c.name).join(", ")}</span>
            <Button variant="ghost" onClick={() => remove.mutate({ name: d.name })}>{t("delete")}</Button>
          </li>
        ))}
      </ul>
    </div>
  );
}
