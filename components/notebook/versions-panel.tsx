"use client";
// Saved versions of a signed-in person's notebook (automatic, named, conflicts), with restore.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useFormatter, useTranslations } from "next-intl";
import { memo, useState } from "react";
import type { NotebookKey } from "@/lib/server/services/notebooks";
import { useTRPC } from "@/lib/trpc/react";

export const VersionsPanel = memo(function VersionsPanel({ serverKey, onRestored }: { serverKey: NotebookKey; onRestored(): void }) {
  const t = useTranslations("notebook");
  const format = useFormatter();
  const trpc = useTRPC();
  const qc = useQueryClient();
  const [open, setOpen] = useState(false);
  const versions = useQuery({ ...trpc.notebooks.versions.queryOptions(serverKey), enabled: open });
  const restore = useMutation(
    trpc.notebooks.restoreVersion.mutationOptions({
      onSuccess: async () => {
        await qc.invalidateQueries({ queryKey: trpc.notebooks.versions.queryKey(serverKey) });
        onRestored();
      },
    }),
  );
  const save = useMutation(
    trpc.notebooks.saveVersion.mutationOptions({
      onSuccess: () => qc.invalidateQueries({ queryKey: trpc.notebooks.versions.queryKey(serverKey) }),
    }),
  );
  return (
    <details className="text-sm" open={open} onToggle={(e) => setOpen((e.target as HTMLDetailsElement).open)} data-testid="versions">
      <summary className="cursor-pointer select-none text-stone-600 hover:text-ink">{t("versions.title")}</summary>
      <div className="mt-2 rounded-md border border-stone-200 bg-white p-2">
        <button
          type="button"
          className="mb-2 rounded-md border border-stone-300 px-2 py-0.5 hover:bg-stone-100"
          onClick={() => {
            const label = window.prompt(t("versions.labelPrompt"));
            if (label?.trim()) save.mutate({ key: serverKey, label: label.trim() });
          }}
        >
          {t("versions.save")}
        </button>
        {versions.isLoading && <p className="text-stone-500">{t("versions.loading")}</p>}
        {versions.data?.length === 0 && <p className="text-stone-500">{t("versions.none")}</p>}
        <ul className="flex flex-col gap-1">
          {versions.data?.map((v) => (
            <li key={v.revision} className="flex items-center gap-2" data-testid="version">
              <span className="font-mono text-stone-500">#{v.revision}</span>
              <span>{v.label ? versionLabel(v.label, t) : t("versions.auto")}</span>
              <span className="text-stone-500">{format.dateTime(new Date(v.createdAt), { dateStyle: "short", timeStyle: "short" })}</span>
              <button
                type="button"
                className="ml-auto rounded px-2 py-0.5 text-accent hover:bg-accent-soft"
                disabled={restore.isPending}
                onClick={() => {
                  if (window.confirm(t("versions.confirmRestore", { revision: v.revision }))) restore.mutate({ key: serverKey, revision: v.revision });
                }}
              >
                {t("versions.restore")}
              </button>
            </li>
          ))}
        </ul>
      </div>
    </details>
  );
});

function versionLabel(label: string, t: ReturnType<typeof useTranslations>): string {
  if (label === "before-restore") return t("versions.beforeRestore");
  if (label.startsWith("conflict")) return t("versions.conflict", { device: label.split(":").slice(1).join(":") || "?" });
  return label;
}
