"use client";
// The hidden file input behind "Import .ipynb": reads the chosen file as a Jupyter notebook
// (lib/notebook/ipynb, loaded on use) and hands over the document, or a translated message
// saying why it could not be read.
import { useTranslations } from "next-intl";
import type { Ref } from "react";
import type { IpynbFormatError } from "@/lib/notebook/ipynb";
import type { NotebookDocument } from "@/lib/notebook/types";

export function IpynbFileInput({ ref, testId, onOpen, onError }: {
  ref: Ref<HTMLInputElement>;
  testId?: string;
  onOpen(doc: NotebookDocument, fileName: string): void | Promise<void>;
  onError(message: string): void;
}) {
  const t = useTranslations("notebook");
  return (
    <input
      ref={ref}
      type="file"
      accept=".ipynb,application/x-ipynb+json,application/json"
      className="hidden"
      data-testid={testId}
      onChange={async (e) => {
        const file = e.target.files?.[0];
        e.target.value = "";
        if (!file) return;
        try {
          const { fromIpynb } = await import("@/lib/notebook/ipynb");
          await onOpen(fromIpynb(await file.text()), file.name);
        } catch (err) {
          const format = (err as Partial<IpynbFormatError>).name === "IpynbFormatError" ? (err as IpynbFormatError) : null;
          const reason = format ? t(`importError.${format.code}`, format.params) : err instanceof Error ? err.message : String(err);
          onError(t("importFailed", { reason }));
        }
      }}
    />
  );
}
