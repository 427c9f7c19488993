"use client";
// Personal access tokens for MLflow clients: create (secret shown once), list, revoke.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useLocale, useTranslations } from "next-intl";
import { useState, type FormEvent } from "react";
import { useErrorMessage } from "@/components/class/use-error-message";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field, Input } from "@/components/ui/field";
import { useTRPC } from "@/lib/trpc/react";
import { formatDateTime } from "./format";

export function TokensSettings({ origin }: { origin: string }) {
  const t = useTranslations("tracking.tokens");
  const tc = useTranslations("tracking.common");
  const locale = useLocale();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toMessage = useErrorMessage();
  const [name, setName] = useState("");
  const [created, setCreated] = useState<{ id: string; name: string; token: string } | null>(null);
  const list = useQuery(trpc.tracking.tokens.list.queryOptions());
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.tracking.tokens.list.queryKey() });
  const create = useMutation(
    trpc.tracking.tokens.create.mutationOptions({
      onSuccess: async (tok) => {
        setCreated({ id: tok.id, name: tok.name, token: tok.token });
        setName("");
        await refresh();
      },
    }),
  );
  const revoke = useMutation(
    trpc.tracking.tokens.revoke.mutationOptions({
      onSuccess: async (_, input) => {
        // A revoked secret is no use on screen any more.
        setCreated((c) => (c?.id === input.id ? null : c));
        await refresh();
      },
    }),
  );
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    setCreated(null);
    create.mutate({ name });
  };
  const shown = created?.token ?? "<token>";
  return (
    <div className="flex flex-col gap-4">
      <div>
        <h1 className="text-2xl font-bold">{t("title")}</h1>
        <p className="text-sm text-stone-600">{t("intro")}</p>
      </div>
      <Card>
        <form onSubmit={onSubmit} className="flex flex-wrap items-end gap-3" data-testid="create-token-form">
          <div className="min-w-60 flex-1">
            <Field label={t("name")}>
              <Input name="tokenName" value={name} onChange={(e) => setName(e.target.value)} placeholder={t("namePlaceholder")} required maxLength={100} />
            </Field>
          </div>
          <Button type="submit" disabled={create.isPending} data-testid="create-token">{t("create")}</Button>
        </form>
        {create.error && <div className="mt-3"><Alert tone="error" testId="token-error">{toMessage(create.error)}</Alert></div>}
      </Card>
      {created && <NewToken name={created.name} token={created.token} onDone={() => setCreated(null)} />}
      <Card>
        <h2 className="mb-2 font-semibold">{t("list")}</h2>
        {revoke.error && <Alert tone="error">{toMessage(revoke.error)}</Alert>}
        {list.error && <Alert tone="error">{toMessage(list.error)}</Alert>}
        {list.isPending && <p className="text-sm text-stone-500">{tc("loading")}</p>}
        {list.data?.length === 0 && <p className="text-sm text-stone-600">{t("empty")}</p>}
        {!!list.data?.length && (
          <table className="w-full text-sm" data-testid="token-list">
            <thead className="border-b border-stone-200 text-left text-xs text-stone-600">
              <tr>
                <th className="py-1.5 pr-3">{t("name")}</th>
                <th className="py-1.5 pr-3">{t("prefix")}</th>
                <th className="py-1.5 pr-3">{t("created")}</th>
                <th className="py-1.5 pr-3">{t("lastUsed")}</th>
                <th className="py-1.5" />
              </tr>
            </thead>
            <tbody className="divide-y divide-stone-100">
              {list.data.map((tok) => (
                <tr key={tok.id} data-testid="token-row" data-revoked={tok.revokedAt ? "true" : "false"} className={tok.revokedAt ? "text-stone-400" : ""}>
                  <td className="py-1.5 pr-3 font-medium">{tok.name}</td>
                  <td className="py-1.5 pr-3"><code className="text-xs">{tok.prefix}…</code></td>
                  <td className="py-1.5 pr-3">{formatDateTime(tok.createdAt, locale)}</td>
                  <td className="py-1.5 pr-3" data-testid="token-last-used">{tok.lastUsedAt ? formatDateTime(tok.lastUsedAt, locale) : t("never")}</td>
                  <td className="py-1.5 text-right">
                    {tok.revokedAt ? (
                      <span className="text-xs">{t("revoked", { date: formatDateTime(tok.revokedAt, locale) })}</span>
                    ) : (
                      <Button
                        variant="danger"
                        disabled={revoke.isPending}
                        onClick={() => window.confirm(t("revokeConfirm", { name: tok.name })) && revoke.mutate({ id: tok.id })}
                        data-testid="revoke-token"
                      >
                        {t("revoke")}
                      </Button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
      <Card>
        <h2 className="mb-2 font-semibold">{t("howTitle")}</h2>
        <p className="text-sm">{t("howIntro")}</p>
        <pre className="mt-2 overflow-x-auto rounded-md bg-stone-100 p-3 font-mono text-xs" data-testid="token-howto">{`export MLFLOW_TRACKING_URI=${origin}\nexport MLFLOW_TRACKING_TOKEN=${shown}`}</pre>
        <p className="mt-3 text-sm">{t("howPython")}</p>
        <pre className="mt-2 overflow-x-auto rounded-md bg-stone-100 p-3 font-mono text-xs">{`import mlflow\n\nwith mlflow.start_run(run_name="baseline"):\n    mlflow.log_param("lr", 0.01)\n    for step, loss in enumerate([0.9, 0.6, 0.4]):\n        mlflow.log_metric("val_loss", loss, step=step)`}</pre>
        <p className="mt-2 text-xs text-stone-500">{t("howNote")}</p>
      </Card>
    </div>
  );
}

function NewToken({ name, token, onDone }: { name: string; token: string; onDone: () => void }) {
  const t = useTranslations("tracking.tokens");
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(token);
      setCopied(true);
    } catch {
      // Clipboard blocked (insecure origin, permissions): the token stays selectable on screen.
      setCopied(false);
    }
  };
  return (
    <Card className="border-amber-300 bg-amber-50">
      <h2 className="font-semibold">{t("createdTitle")} · {name}</h2>
      <p className="my-2 text-sm text-amber-900" role="alert">{t("createdWarning")}</p>
      <div className="flex flex-wrap items-center gap-2">
        <code className="min-w-0 flex-1 select-all break-all rounded-md border border-amber-300 bg-white px-2 py-1.5 font-mono text-sm" data-testid="new-token">
          {token}
        </code>
        <Button variant="secondary" onClick={copy} data-testid="copy-token">{copied ? t("copied") : t("copy")}</Button>
        <Button variant="ghost" onClick={onDone}>{t("done")}</Button>
      </div>
    </Card>
  );
}
