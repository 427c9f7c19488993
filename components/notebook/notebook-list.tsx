"use client";
// Scratch notebooks: the server's for signed-in people, this browser's (IndexedDB) for guests.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useFormatter, useTranslations } from "next-intl";
import { useEffect, useRef, useState } from "react";
import { Link, useRouter } from "@/lib/i18n/navigation";
import { createCell, createNotebook } from "@/lib/notebook/document";
import type { NotebookDocument } from "@/lib/notebook/types";
import { useTRPC, useTRPCClient } from "@/lib/trpc/react";
import { IpynbFileInput } from "./ipynb-file-input";
import { localStore } from "./use-persistence";

interface Item {
  id: string;
  title: string;
  updatedAt: Date;
}

export function NotebookList({ signedIn }: { signedIn: boolean }) {
  const t = useTranslations("notebook");
  const format = useFormatter();
  const trpc = useTRPC();
  const qc = useQueryClient();
  const server = useQuery({ ...trpc.notebooks.listScratch.queryOptions(), enabled: signedIn });
  const [local, setLocal] = useState<Item[] | null>(null);
  const reloadLocal = async () => {
    const entries = await localStore().list("local:");
    setLocal(entries.map((e) => ({ id: e.key.slice("local:".length), title: e.doc.metadata.title || e.title, updatedAt: new Date(e.updatedAt) })));
  };
  useEffect(() => {
    if (!signedIn) void reloadLocal();
  }, [signedIn]);
  const invalidate = () => qc.invalidateQueries({ queryKey: trpc.notebooks.listScratch.queryKey() });
  const rename = useMutation(trpc.notebooks.rename.mutationOptions({ onSuccess: invalidate }));
  const remove = useMutation(trpc.notebooks.remove.mutationOptions({ onSuccess: invalidate }));
  const items: Item[] | null = signedIn ? (server.data?.map((n) => ({ id: n.id, title: n.title, updatedAt: new Date(n.updatedAt) })) ?? null) : local;
  const importer = useImporter(signedIn);

  const doRename = async (item: Item) => {
    const title = window.prompt(t("list.renamePrompt"), item.title)?.trim();
    if (!title) return;
    if (signedIn) {
      rename.mutate({ id: item.id, title });
      // the local copy carries the title too
      const entry = await localStore().get(`scratch:${item.id}`);
      if (entry) await localStore().put({ ...entry, title, doc: { ...entry.doc, metadata: { ...entry.doc.metadata, title } } });
    } else {
      const entry = await localStore().get(`local:${item.id}`);
      if (entry) await localStore().put({ ...entry, title, updatedAt: Date.now(), doc: { ...entry.doc, metadata: { ...entry.doc.metadata, title } } });
      await reloadLocal();
    }
  };
  const doDelete = async (item: Item) => {
    if (!window.confirm(t("list.confirmDelete", { title: item.title }))) return;
    if (signedIn) {
      remove.mutate({ id: item.id });
      await localStore().delete(`scratch:${item.id}`);
    } else {
      await localStore().delete(`local:${item.id}`);
      await reloadLocal();
    }
  };

  return (
    <div className="mx-auto flex max-w-3xl flex-col gap-4">
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="text-2xl font-bold">{t("list.title")}</h1>
        <Link href="/notebooks/new" data-testid="new-notebook" className="ml-auto rounded-md bg-accent px-3 py-1.5 text-sm font-medium text-white hover:bg-blue-800">
          + {t("list.new")}
        </Link>
        <button type="button" onClick={importer.pick} className="rounded-md border border-stone-300 px-3 py-1.5 text-sm hover:bg-stone-100" data-testid="list-import">
          ⤒ {t("toolbar.import")}
        </button>
        {importer.input}
      </div>
      {importer.error && <p role="alert" className="text-sm text-red-700">{importer.error}</p>}
      {!signedIn && <p className="rounded-md bg-accent-soft px-3 py-2 text-sm text-blue-950" data-testid="guest-invite">{t("list.guestNote")}</p>}
      {items === null && <p className="text-stone-500">{t("save.loading")}</p>}
      {items?.length === 0 && <p className="text-stone-600">{t("list.empty")}</p>}
      <ul className="flex flex-col gap-2" data-testid="notebook-list">
        {items?.map((item) => (
          <li key={item.id} data-testid="notebook-item" data-notebook-id={item.id} className="flex items-center gap-3 rounded-lg border border-stone-200 bg-white px-4 py-3 shadow-sm">
            <Link href={`/notebooks/${item.id}`} className="font-semibold hover:text-accent">{item.title || t("list.untitled")}</Link>
            <span className="text-xs text-stone-500">{format.dateTime(item.updatedAt, { dateStyle: "medium", timeStyle: "short" })}</span>
            <button type="button" className="ml-auto rounded px-2 py-0.5 text-sm text-stone-600 hover:bg-stone-100" onClick={() => void doRename(item)} data-testid="notebook-rename">
              {t("list.rename")}
            </button>
            <button type="button" className="rounded px-2 py-0.5 text-sm text-red-700 hover:bg-red-50" onClick={() => void doDelete(item)} data-testid="notebook-delete">
              {t("list.delete")}
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** Creates a scratch notebook (server or browser) and returns its page path. */
function useCreate(signedIn: boolean) {
  const client = useTRPCClient();
  return async (doc: NotebookDocument): Promise<string> => {
    if (signedIn) {
      const r = await client.notebooks.createScratch.mutate({ title: doc.metadata.title, content: doc });
      return `/notebooks/${r.id}`;
    }
    const bytes = crypto.getRandomValues(new Uint8Array(8));
    const id = "local-" + Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
    await localStore().put({ key: `local:${id}`, doc, baseRevision: 0, dirty: false, updatedAt: Date.now(), title: doc.metadata.title });
    return `/notebooks/${id}`;
  };
}

function useImporter(signedIn: boolean) {
  const t = useTranslations("notebook");
  const router = useRouter();
  const create = useCreate(signedIn);
  const ref = useRef<HTMLInputElement>(null);
  const [error, setError] = useState<string | null>(null);
  return {
    error,
    pick: () => ref.current?.click(),
    input: (
      <IpynbFileInput
        ref={ref}
        onOpen={async (doc, fileName) => {
          if (!doc.metadata.title) doc.metadata.title = fileName.replace(/\.ipynb$/i, "");
          router.push(await create(doc));
        }}
        onError={setError}
      />
    ),
  };
}

export function NewNotebook({ signedIn }: { signedIn: boolean }) {
  const t = useTranslations("notebook");
  const router = useRouter();
  const create = useCreate(signedIn);
  const [error, setError] = useState<string | null>(null);
  const started = useRef(false);
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    const doc = createNotebook({ title: t("list.untitled") }, [createCell("code")]);
    create(doc)
      .then((path) => router.replace(path))
      .catch((e) => setError(e instanceof Error ? e.message : String(e)));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  return <p className="text-stone-600" role={error ? "alert" : "status"}>{error ?? t("list.creating")}</p>;
}
