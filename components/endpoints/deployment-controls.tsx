"use client";
// The owner's deployment actions (endpoints.* mutations): deploy a version, canary with a percent,
// change the percent, shadow, A/B, blue/green switch, promote and roll back (both confirmed), and
// visibility. A typed percent is checked here first (an integer 0–100) and the server checks
// everything again; a refused change shows a translated message and changes nothing.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/field";
import { useTRPC } from "@/lib/trpc/react";
import { parsePercent } from "./format";
import { useEndpointError } from "./use-endpoint-error";

interface Endpoint {
  name: string;
  mode: string;
  versions: number[];
  servingVersion: number | null;
  candidateVersion: number | null;
  canaryPercent: number;
  visibility: string;
}

type Action = "deploy" | "canary" | "setPercent" | "shadow" | "ab" | "blueGreen" | "promote" | "rollback" | "visibility";

const selectClass = "rounded-md border border-stone-300 bg-white px-2 py-1.5 text-sm shadow-sm";

export function DeploymentControls({ endpoint }: { endpoint: Endpoint }) {
  const t = useTranslations("models");
  const trpc = useTRPC();
  const qc = useQueryClient();
  const toMessage = useEndpointError();
  const latest = endpoint.versions.at(-1) ?? null;
  const [version, setVersion] = useState<string>(String(endpoint.servingVersion ?? latest ?? ""));
  const otherThanServing = endpoint.versions.find((v) => v !== endpoint.servingVersion) ?? latest;
  const [candidate, setCandidate] = useState<string>(String(endpoint.candidateVersion ?? otherThanServing ?? ""));
  const [percentText, setPercentText] = useState<string>(String(endpoint.mode === "canary" ? endpoint.canaryPercent : 10));
  const [confirming, setConfirming] = useState<"promote" | "rollback" | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);

  const refresh = () => {
    void qc.invalidateQueries({ queryKey: trpc.endpoints.get.queryKey({ name: endpoint.name }) });
    void qc.invalidateQueries({ queryKey: trpc.endpoints.events.pathKey() });
    void qc.invalidateQueries({ queryKey: trpc.endpoints.listMine.pathKey() });
  };
  const opts = {
    onSuccess: () => {
      setError(null);
      setDone(true);
      setConfirming(null);
      refresh();
    },
    onError: (e: unknown) => {
      setDone(false);
      setConfirming(null);
      setError(toMessage(e));
    },
  };
  const deploy = useMutation(trpc.endpoints.deploy.mutationOptions(opts));
  const canary = useMutation(trpc.endpoints.startCanary.mutationOptions(opts));
  const setPercent = useMutation(trpc.endpoints.setCanaryPercent.mutationOptions(opts));
  const shadow = useMutation(trpc.endpoints.startShadow.mutationOptions(opts));
  const ab = useMutation(trpc.endpoints.startAb.mutationOptions(opts));
  const blueGreen = useMutation(trpc.endpoints.switchBlueGreen.mutationOptions(opts));
  const promote = useMutation(trpc.endpoints.promote.mutationOptions(opts));
  const rollback = useMutation(trpc.endpoints.rollback.mutationOptions(opts));
  const visibility = useMutation(trpc.endpoints.setVisibility.mutationOptions(opts));
  const busy = [deploy, canary, setPercent, shadow, ab, blueGreen, promote, rollback, visibility].some((m) => m.isPending);

  const fail = (key: "percent" | "version") => {
    setDone(false);
    setError(t(`errors.${key}`));
  };
  const versionOf = (text: string): number | null => {
    const n = Number(text);
    return endpoint.versions.includes(n) ? n : null;
  };

  function run(action: Action) {
    const name = endpoint.name;
    const v = versionOf(version);
    const c = versionOf(candidate);
    const p = parsePercent(percentText);
    switch (action) {
      case "deploy":
        return v === null ? fail("version") : deploy.mutate({ name, version: v });
      case "canary":
        if (c === null) return fail("version");
        return p === null ? fail("percent") : canary.mutate({ name, candidateVersion: c, percent: p });
      case "setPercent":
        return p === null ? fail("percent") : setPercent.mutate({ name, percent: p });
      case "shadow":
        return c === null ? fail("version") : shadow.mutate({ name, candidateVersion: c });
      case "ab":
        if (c === null) return fail("version");
        return p === null ? fail("percent") : ab.mutate({ name, candidateVersion: c, percent: p });
      case "blueGreen":
        if (endpoint.mode === "blue-green") return blueGreen.mutate({ name });
        return c === null ? fail("version") : blueGreen.mutate({ name, version: c });
      case "promote":
        return promote.mutate({ name });
      case "rollback":
        return rollback.mutate({ name });
      case "visibility":
        return visibility.mutate({ name, visibility: endpoint.visibility === "class" ? "private" : "class" });
    }
  }

  const versionOptions = endpoint.versions.map((n) => (
    <option key={n} value={n}>
      v{n}
    </option>
  ));

  return (
    <div className="flex flex-col gap-3" data-testid="deployment-controls">
      <div className="flex flex-wrap items-end gap-2">
        <label className="flex flex-col gap-1 text-sm">
          <span className="font-medium">{t("controls.version")}</span>
          <select className={selectClass} value={version} onChange={(e) => setVersion(e.target.value)} data-testid="deploy-version">
            {versionOptions}
          </select>
        </label>
        <Button onClick={() => run("deploy")} disabled={busy} data-testid="action-deploy">{t("controls.deploy")}</Button>
      </div>
      <div className="flex flex-wrap items-end gap-2">
        <label className="flex flex-col gap-1 text-sm">
          <span className="font-medium">{t("controls.candidate")}</span>
          <select className={selectClass} value={candidate} onChange={(e) => setCandidate(e.target.value)} data-testid="candidate-version">
            {versionOptions}
          </select>
        </label>
        <label className="flex flex-col gap-1 text-sm">
          <span className="font-medium">{t("controls.percent")}</span>
          <Input inputMode="numeric" className="w-24" value={percentText} onChange={(e) => setPercentText(e.target.value)} data-testid="percent-input" />
        </label>
        <Button variant="secondary" onClick={() => run("canary")} disabled={busy} data-testid="action-canary">{t("controls.canary")}</Button>
        <Button variant="secondary" onClick={() => run("setPercent")} disabled={busy} data-testid="action-set-percent">{t("controls.setPercent")}</Button>
        <Button variant="secondary" onClick={() => run("shadow")} disabled={busy} data-testid="action-shadow">{t("controls.shadow")}</Button>
        <Button variant="secondary" onClick={() => run("ab")} disabled={busy} data-testid="action-ab">{t("controls.ab")}</Button>
        <Button variant="secondary" onClick={() => run("blueGreen")} disabled={busy} data-testid="action-blue-green">{t("controls.blueGreen")}</Button>
      </div>
      <div className="flex flex-wrap items-center gap-2">
        <Button onClick={() => setConfirming("promote")} disabled={busy} data-testid="action-promote">{t("controls.promote")}</Button>
        <Button variant="danger" onClick={() => setConfirming("rollback")} disabled={busy} data-testid="action-rollback">{t("controls.rollback")}</Button>
        <Button variant="ghost" onClick={() => run("visibility")} disabled={busy} data-testid="action-visibility">
          {endpoint.visibility === "class" ? t("controls.makePrivate") : t("controls.makeClass")}
        </Button>
      </div>
      {confirming && (
        <div role="alertdialog" aria-label={t(confirming === "promote" ? "controls.confirmPromote" : "controls.confirmRollback")} className="flex flex-wrap items-center gap-2 rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm" data-testid="confirm-box">
          <span>{t(confirming === "promote" ? "controls.confirmPromote" : "controls.confirmRollback")}</span>
          <Button variant={confirming === "rollback" ? "danger" : "primary"} onClick={() => run(confirming)} disabled={busy} data-testid="confirm-yes">{t("controls.confirm")}</Button>
          <Button variant="ghost" onClick={() => setConfirming(null)} data-testid="confirm-no">{t("controls.cancel")}</Button>
        </div>
      )}
      {error && <Alert tone="error" testId="deployment-error">{error}</Alert>}
      {done && !error && <Alert tone="success" testId="deployment-done">{t("controls.done")}</Alert>}
    </div>
  );
}
