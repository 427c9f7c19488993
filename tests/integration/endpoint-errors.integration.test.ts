// The endpoints router's refusals reach the page as translated messages (issue 13): a real tRPC
// client (superjson, as components/providers.tsx) over the lean tRPC route gets each DomainError
// with its detail (`models.errors.<reason>` and parameters), and the endpoint pages' choice of
// message (components/endpoints/error-message.ts) gives the es and en text with the parameters
// filled. SQLite and PostgreSQL.
import type { Server } from "node:http";
import { createTRPCClient, httpBatchLink, TRPCClientError } from "@trpc/client";
import superjson from "superjson";
import { createTranslator } from "use-intl/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listenLean, TEST_ORIGIN, testSecurityHeaders } from "./helpers/lean-http";
import { createTestDb, insertUser, testProviders, type TestDb } from "./helpers/test-db";
import type { AppRouter } from "@/lib/server/api/root";
import type { SessionUser } from "@/lib/server/auth";
import { trpcRoutes } from "@/lib/server/http/trpc-routes";
import { endpointErrorDetail, endpointErrorMessage, type Translator } from "@/components/endpoints/error-message";
import { loadMessages } from "@/lib/i18n/messages";

describe.each(testProviders)("endpoint errors translated on %s", (provider) => {
  let t: TestDb;
  let server: Server;
  let port: number;
  let ana: SessionUser, bob: SessionUser;
  const users = new Map<string, SessionUser>();
  const translators: Record<"es" | "en", Translator> = {} as never;

  const client = (who: string) =>
    createTRPCClient<AppRouter>({
      links: [httpBatchLink({ url: `http://127.0.0.1:${port}/api/trpc`, transformer: superjson, headers: { cookie: `session=${who}`, origin: TEST_ORIGIN } })],
    });
  async function refusal(p: Promise<unknown>): Promise<TRPCClientError<AppRouter>> {
    try {
      await p;
    } catch (e) {
      if (e instanceof TRPCClientError) return e;
      throw e;
    }
    throw new Error("expected a refusal");
  }

  beforeAll(async () => {
    t = await createTestDb(provider);
    ana = await insertUser(t.db, "student", "Ana");
    bob = await insertUser(t.db, "student", "Bob");
    users.set("ana", ana).set("bob", bob);
    const userOf = (h: Headers) => users.get(/session=(\w+)/.exec(h.get("cookie") ?? "")?.[1] ?? "") ?? null;
    ({ server, port } = await listenLean(trpcRoutes({ origin: TEST_ORIGIN, securityHeaders: testSecurityHeaders(), createContext: async (headers) => ({ db: t.db, user: userOf(headers) }) })));
    // Ana's model with one READY version (no run files needed to deploy or refuse).
    const model = await t.db.registeredModel.create({ data: { ownerId: ana.id, name: "fraude", creationTime: 1n, lastUpdatedTime: 1n, lastVersion: 1 } });
    await t.db.modelVersion.create({ data: { modelId: model.id, version: 1, source: "runs:/x/model", artifactPath: "x/model", userId: ana.id, status: "READY", creationTime: 1n, lastUpdatedTime: 1n } });
    for (const lang of ["es", "en"] as const) {
      const messages = await loadMessages(lang);
      translators[lang] = createTranslator({ locale: lang, messages }) as unknown as Translator;
    }
  });
  afterAll(async () => {
    server?.close();
    await t?.drop();
  });

  it("each refusal carries its reason; the page shows it in Spanish and English with its parameters", async () => {
    const cases: { call: () => Promise<unknown>; key: string; es: string; en: string }[] = [
      { call: () => client("ana").endpoints.rollback.mutate({ name: "fraude" }), key: "models.errors.nothingToRollBack", es: "No hay nada que deshacer: el endpoint no tiene un despliegue anterior.", en: "Nothing to undo: the endpoint has no earlier deployment." },
      { call: () => client("ana").endpoints.promote.mutate({ name: "fraude" }), key: "models.errors.nothingToPromote", es: "No hay nada que promover: el endpoint sirve una sola versión.", en: "Nothing to promote: the endpoint serves a single version." },
      { call: () => client("ana").endpoints.deploy.mutate({ name: "fraude", version: 7 }), key: "models.errors.versionNotReady", es: "La versión 7 no está lista para servir: elegí una versión lista.", en: "Version 7 is not ready to serve: choose a ready version." },
      { call: () => client("ana").endpoints.setCanaryPercent.mutate({ name: "fraude", percent: 10 }), key: "models.errors.noCanary", es: "No hay un canary en curso: empezá uno primero.", en: "No canary is running: start one first." },
      { call: () => client("ana").endpoints.switchBlueGreen.mutate({ name: "fraude" }), key: "models.errors.blueGreenNeedsVersion", es: "Elegí la versión a la que pasar: el endpoint todavía no está en blue/green.", en: "Choose the version to switch to: the endpoint is not blue/green yet." },
      { call: () => client("ana").endpoints.startCanary.mutate({ name: "fraude", candidateVersion: 1, percent: 10 }), key: "models.errors.candidateIsServing", es: "La versión 1 ya es la que responde: elegí otra candidata.", en: "Version 1 is already the one answering: choose another candidate." },
      { call: () => client("bob").endpoints.get.query({ name: "nope" }), key: "models.errors.modelNotFound", es: "No existe el modelo «nope» o no tenés acceso.", en: "The model “nope” does not exist or you have no access." },
      { call: () => client("ana").monitoring.markNotificationsRead.mutate({ ids: [] }), key: "models.notifications.errors.nothingToMark", es: "Elegí qué notificaciones marcar como leídas.", en: "Choose which notifications to mark read." },
    ];
    for (const c of cases) {
      const e = await refusal(c.call());
      expect(endpointErrorDetail(e)?.key, c.key).toBe(c.key);
      expect(endpointErrorMessage(e, translators.es)).toBe(c.es);
      expect(endpointErrorMessage(e, translators.en)).toBe(c.en);
    }
    expect(await t.db.deploymentEvent.count()).toBe(0); // nothing written by any refusal
  });

  it("a refusal without a reason falls back to the code's wording: the endpoint's, else the generic one", async () => {
    const bad = await refusal(client("ana").endpoints.startCanary.mutate({ name: "fraude", candidateVersion: 1, percent: 150 })); // zod: no detail
    expect(endpointErrorDetail(bad)).toBeNull();
    expect(endpointErrorMessage(bad, translators.en)).toBe(translators.en("models.errors.invalidInput"));
    const signedOut = await refusal(client("nobody").endpoints.listMine.query());
    expect(endpointErrorMessage(signedOut, translators.es)).toBe(translators.es("errors.unauthorized"));
    expect(endpointErrorMessage(new Error("network"), translators.es)).toBe(translators.es("errors.unexpected"));
  });
});
