"use client";
// Images stored with the lesson (issue 15 point 2): upload one (its bytes are checked on the
// server) and copy the markdown that shows it.
import { useTranslations } from "next-intl";
import { useState, type ChangeEvent } from "react";

export function ImagesPanel({ slug, initial }: { slug: string; initial: { name: string; size: number }[] }) {
  const t = useTranslations("teach.editor");
  const te = useTranslations("teach");
  const [files, setFiles] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  const upload = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    e.target.value = "";
    if (!file) return;
    setError(null);
    const name = file.name.toLowerCase().replace(/[^a-z0-9._-]+/g, "-");
    const r = await fetch(`/api/teach/lessons/${slug}/files/${encodeURIComponent(name)}`, { method: "POST", body: file, headers: { "content-type": "application/octet-stream" } });
    const body = (await r.json()) as { name: string; size: number; error?: { key?: string | null; message: string; params?: Record<string, string | number> } };
    if (!r.ok) {
      const key = body.error?.key?.startsWith("teach.") ? body.error.key.slice(6) : null;
      setError(key && te.has(key) ? te(key, body.error?.params ?? {}) : (body.error?.message ?? String(r.status)));
      return;
    }
    setFiles((f) => [...f.filter((x) => x.name !== body.name), { name: body.name, size: body.size }]);
  };
  return (
    <section className="rounded-lg border border-stone-200 bg-white p-3" data-testid="images-panel">
      <h2 className="font-semibold">{t("images")}</h2>
      {error && <p className="text-sm text-red-700" role="alert">{error}</p>}
      <label className="text-sm">
        {t("uploadImage")} <input type="file" accept="image/png,image/jpeg,image/gif,image/webp" onChange={(e) => void upload(e)} />
      </label>
      <ul className="mt-1 text-xs">
        {files.map((f) => (
          <li key={f.name}>
            <code>{f.name}</code> — {t("imageHint", { path: `/api/teach/lessons/${slug}/files/${f.name}` })}
          </li>
        ))}
      </ul>
    </section>
  );
}
