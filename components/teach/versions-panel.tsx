"use client";
// Published versions of the lesson (issue 15 point 5): each compared with the draft as a cell diff
// and restorable into the draft (the draft is kept as a snapshot on the server first).
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useFormatter, useLocale, useTranslations } from "next-intl";
import { useEffect, useState, type MutableRefObject } from "react";
import { Button } from "@/components/ui/button";
import type { LessonBundle } from "@/lib/teach/bundle";
import { useTRPC } from "@/lib/trpc/react";
import { useTeachError } from "./use-teach-error";

export function VersionsPanel({ slug, published, onRestored, revision, savedJson }: { slug: string; published: number; onRestored: (b: LessonBundle) => void; revision: MutableRefObject<number>; savedJson: MutableRefObject<string> }) {
  const t = useTranslations("teach.editor");
  const format = useFormatter();
  const locale = useLocale() as "es" | "en";
  const trpc = useTRPC();
  const qc = useQueryClient();
  const teachError = useTeachError();
  const [compare, setCompare] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const versions = useQuery(trpc.teach.versions.queryOptions({ slug }));
  const diff = useQuery({ ...trpc.teach.compare.queryOptions({ slug, version: compare ?? 1, locale }), enabled: compare !== null });
  const restore = useMutation(
    trpc.teach.restore.mutationOptions({
      onSuccess: async () => {
        const draft = await qc.fetchQuery({ ...trpc.teach.draft.queryOptions({ slug }), staleTime: 0 });
        revision.current = draft.revision;
        savedJson.current = JSON.stringify(draft.bundle);
        onRestored(draft.bundle);
      },
      onError: (e) => setError(teachError(e)),
    }),
  );
  // A publish made in the editor adds a version.
  const { refetch } = versions;
  useEffect(() => {
    void refetch();
  }, [published, refetch]);
  return (
    <section className="rounded-lg border border-stone-200 bg-white p-3" data-testid="versions-panel">
      <h2 className="font-semibold">{t("versions")}</h2>
      {error && <p className="text-sm text-red-700">{error}</p>}
      {versions.data?.length === 0 && <p className="text-sm text-stone-500">{t("noVersions")}</p>}
      <ul className="mt-1 flex flex-col gap-1 text-sm">
        {versions.data?.map((v) => (
          <li key={v.version} className="flex flex-wrap items-center gap-2" data-testid="version">
            <span>{t("versionLine", { version: v.version, date: format.dateTime(v.createdAt, { dateStyle: "short", timeStyle: "short" }), name: v.publishedBy })}</span>
            <Button variant="ghost" onClick={() => setCompare(v.version)}>{t("compare")}</Button>
            <Button variant="ghost" onClick={() => window.confirm(t("confirmRestore", { version: v.version })) && restore.mutate({ slug, version: v.version })}>
              {t("restore")}
            </Button>
          </li>
        ))}
      </ul>
      {compare !== null && diff.data && (
        <ul className="mt-2 border-t border-stone-100 pt-2 text-xs" data-testid="version-diff">
          {diff.data.changes
            .filter((c) => c.status !== "unchanged" || c.moved)
            .map((c) => (
              <li key={c.id} data-status={c.status}>
                <a className="font-mono underline" href={`#cell-${c.id}`}>{c.id}</a> — {t(`diff.${c.status}`)}
                {"fields" in c ? ` (${c.fields.join(", ")})` : ""}
                {"moved" in c && c.moved ? `, ${t("diff.moved")}` : ""}
              </li>
            ))}
        </ul>
      )}
    </section>
  );
}
