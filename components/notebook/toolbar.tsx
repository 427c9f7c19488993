"use client";
// The notebook's toolbar (run all, run stale, interrupt, restart, clear, add, export/import, reset)
// and save state. Memoized with stable handlers: a run's status changes re-render it only when
// what it shows changes (stale count, interrupt enabled), never on every output.
import { useTranslations } from "next-intl";
import { memo, useRef, useState, type ReactNode } from "react";
import type { NotebookDocument } from "@/lib/notebook/types";
import { IpynbFileInput } from "./ipynb-file-input";

export interface ToolbarActions {
  runAll(): void;
  runStale(): void;
  interrupt(): void;
  restart(thenRunAll: boolean): void;
  clearOutputs(): void;
  addCell(): void;
  /** The document as it is now (export reads it at click time). */
  getDoc(): NotebookDocument;
  reset(): void;
  import(doc: NotebookDocument): void;
}

export const Toolbar = memo(function Toolbar(props: {
  loaded: boolean;
  staleCount: number;
  running: boolean;
  resettable: boolean;
  saveState: string | null;
  actions: ToolbarActions;
}) {
  const { loaded, staleCount, running, resettable, saveState, actions } = props;
  const t = useTranslations("notebook");
  return (
    // Opaque, with no backdrop blur: a blur behind a bar that stays on screen is redrawn with every
    // frame that moves the text under it (a cell growing a line: ~4 ms of draw per Enter in software).
    <div data-caret-inset="top" className="sticky top-0 z-20 -mx-1 flex flex-wrap items-center gap-1.5 rounded-lg border border-stone-200 bg-white px-2 py-1.5 text-sm shadow-sm">
      <ToolButton testId="run-all" disabled={!loaded} onClick={actions.runAll}>▶▶ {t("toolbar.runAll")}</ToolButton>
      <ToolButton testId="run-stale" disabled={!loaded || staleCount === 0} onClick={actions.runStale}>
        {t("toolbar.runStale", { count: staleCount })}
      </ToolButton>
      <ToolButton testId="kernel-interrupt" disabled={!running} onClick={actions.interrupt}>■ {t("toolbar.interrupt")}</ToolButton>
      <ToolButton testId="kernel-restart" onClick={() => actions.restart(false)}>↻ {t("toolbar.restart")}</ToolButton>
      <ToolButton testId="kernel-restart-run-all" disabled={!loaded} onClick={() => actions.restart(true)}>{t("toolbar.restartRunAll")}</ToolButton>
      <ToolButton testId="clear-outputs" onClick={actions.clearOutputs}>{t("toolbar.clearOutputs")}</ToolButton>
      <ToolButton testId="add-cell" onClick={actions.addCell}>+ {t("toolbar.addCell")}</ToolButton>
      <NotebookMenu resettable={resettable} actions={actions} />
      <span className="ml-auto text-xs text-stone-500" data-testid="save-state" data-state={saveState ?? "loading"}>
        {saveState ? t(`save.${saveState}`) : t("save.loading")}
      </span>
    </div>
  );
});

export function ToolButton({ children, onClick, disabled, testId }: { children: ReactNode; onClick(): void; disabled?: boolean; testId?: string }) {
  return (
    <button type="button" data-testid={testId} disabled={disabled} onClick={onClick} className="rounded-md px-2 py-1 text-stone-700 hover:bg-stone-100 disabled:text-stone-300">
      {children}
    </button>
  );
}

function NotebookMenu({ resettable, actions }: { resettable: boolean; actions: ToolbarActions }) {
  const t = useTranslations("notebook");
  const fileRef = useRef<HTMLInputElement>(null);
  const [error, setError] = useState<string | null>(null);
  return (
    <>
      <ToolButton
        testId="export-ipynb"
        onClick={async () => {
          const doc = actions.getDoc();
          const { toIpynbJson } = await import("@/lib/notebook/ipynb");
          const blob = new Blob([toIpynbJson(doc)], { type: "application/x-ipynb+json" });
          const a = document.createElement("a");
          a.href = URL.createObjectURL(blob);
          a.download = `${(doc.metadata.title || "notebook").replace(/[^\p{L}\p{N}_ -]+/gu, "").trim() || "notebook"}.ipynb`;
          a.click();
          setTimeout(() => URL.revokeObjectURL(a.href), 5000);
        }}
      >
        ⤓ {t("toolbar.export")}
      </ToolButton>
      <ToolButton testId="import-ipynb" onClick={() => fileRef.current?.click()}>⤒ {t("toolbar.import")}</ToolButton>
      <IpynbFileInput
        ref={fileRef}
        testId="import-ipynb-file"
        onOpen={(doc) => {
          actions.import(doc);
          setError(null);
        }}
        onError={setError}
      />
      {resettable && <ToolButton testId="reset-notebook" onClick={actions.reset}>↺ {t("toolbar.resetNotebook")}</ToolButton>}
      {error && <span className="text-xs text-red-700" role="alert" data-testid="import-error">{error}</span>}
    </>
  );
}
