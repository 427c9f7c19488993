"use client";
// "Lesson updated" (issue 15 point 5): when the instructor published a newer version than the one
// the student's copy started from, the student's edits are kept and each cell both sides changed
// is their choice. Applying saves the merged copy (as a new revision of their notebook) and moves
// the copy's base to the new version; the page then reloads onto it.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useEffect, useState } from "react";
import { Button } from "@/components/ui/button";
import type { NotebookDocument } from "@/lib/notebook/types";
import { applyLessonUpdate, planLessonUpdate, type LessonUpdatePlan } from "@/lib/teach/update-merge";
import { useTRPC } from "@/lib/trpc/react";

interface Pending {
  version: number;
  base: NotebookDocument;
  next: NotebookDocument;
  mine: NotebookDocument;
  revision: number;
  plan: LessonUpdatePlan;
}

const preview = (text: string) => (text.length > 400 ? `${text.slice(0, 400)}…` : text);

export function LessonUpdateBanner({ slug, locale }: { slug: string; locale: "es" | "en" }) {
  const t = useTranslations("teach.update");
  const trpc = useTRPC();
  const qc = useQueryClient();
  const [pending, setPending] = useState<Pending | null>(null);
  const [choices, setChoices] = useState<Record<string, "mine" | "new">>({});
  const check = useMutation(trpc.teach.pendingUpdate.mutationOptions());
  const accept = useMutation(trpc.teach.acceptUpdate.mutationOptions());
  const save = useMutation(trpc.notebooks.save.mutationOptions());

  useEffect(() => {
    let cancelled = false;
    void (async () => {
      const update = await check.mutateAsync({ slug, locale }).catch(() => null);
      if (!update || cancelled) return;
      const copy = await qc.fetchQuery({ ...trpc.notebooks.get.queryOptions({ kind: "lesson", slug, locale }), staleTime: 0 }).catch(() => null);
      if (!copy) {
        // Nothing of the student's to keep: their copy simply starts on the new version.
        await accept.mutateAsync({ slug, locale, version: update.version }).catch(() => undefined);
        return;
      }
      if (!cancelled) setPending({ version: update.version, base: update.base, next: update.next, mine: copy.content, revision: copy.revision, plan: planLessonUpdate(update.base, update.next, copy.content) });
    })();
    return () => {
      cancelled = true;
    };
    // Once per page load.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [slug, locale]);

  if (!pending) return null;
  const apply = async () => {
    const merged = applyLessonUpdate(pending.base, pending.next, pending.mine, choices);
    const r = await save.mutateAsync({ key: { kind: "lesson", slug, locale }, baseRevision: pending.revision, content: merged });
    if (r.status !== "saved") return;
    await accept.mutateAsync({ slug, locale, version: pending.version });
    window.location.reload();
  };
  return (
    <section className="mb-4 rounded-lg border border-amber-300 bg-amber-50 p-3 text-sm" data-testid="lesson-updated" role="status">
      <h2 className="font-semibold">{t("title")}</h2>
      <p>{t("body", { version: pending.version })}</p>
      {pending.plan.conflicts.length === 0 && <p className="mt-1 text-stone-600">{t("noConflicts")}</p>}
      <ul className="mt-2 flex flex-col gap-2">
        {pending.plan.conflicts.map((c) => (
          <li key={c.cellId} className="rounded border border-amber-200 bg-white p-2" data-testid="update-conflict" data-cell-id={c.cellId}>
            <div className="font-mono text-xs">{c.cellId}{c.reason === "removed" ? ` — ${t("removed")}` : ""}</div>
            <div className="mt-1 grid gap-2 md:grid-cols-2">
              {(["mine", "new"] as const).map((side) => (
                <label key={side} className="flex flex-col gap-1">
                  <span className="flex items-center gap-1 text-xs">
                    <input type="radio" name={`choice-${c.cellId}`} checked={(choices[c.cellId] ?? "mine") === side} onChange={() => setChoices((x) => ({ ...x, [c.cellId]: side }))} data-testid={`choose-${side}`} />
                    {side === "mine" ? t("mine") : t("theirs")}
                  </span>
                  <pre className="max-h-40 overflow-auto whitespace-pre-wrap rounded bg-stone-50 p-1 text-xs">{side === "mine" ? preview(c.mine.source) : c.theirs ? preview(c.theirs.source) : "—"}</pre>
                </label>
              ))}
            </div>
          </li>
        ))}
      </ul>
      <Button className="mt-2" onClick={() => void apply()} disabled={save.isPending || accept.isPending} data-testid="apply-update">
        {t("apply")}
      </Button>
    </section>
  );
}
