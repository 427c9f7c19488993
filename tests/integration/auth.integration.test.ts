// Accounts through better-auth's real HTTP handler: hashed passwords, httpOnly SameSite
// cookies, roles limited to student/instructor, and rate-limited sign-in.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAuth, type Auth } from "@/lib/server/auth";
import { createTestDb, testProviders, type TestDb } from "./helpers/test-db";

const base = "http://localhost:3999";

// The server (lib/server/http/app-server.ts) sets x-cuaderno-client-ip on every request; tests of
// the handler alone set it themselves. `forwardedFor` is what a client could forge.
function post(auth: Auth, path: string, body: unknown, ip = "203.0.113.7", forwardedFor?: string) {
  return auth.handler(
    new Request(`${base}/api/auth${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: base, "x-cuaderno-client-ip": ip, ...(forwardedFor ? { "x-forwarded-for": forwardedFor } : {}) },
      body: JSON.stringify(body),
    }),
  );
}

describe.each(testProviders)("auth on %s", (provider) => {
  let t: TestDb;
  let auth: Auth;
  beforeAll(async () => {
    t = await createTestDb(provider);
    auth = createAuth(t.db, { baseURL: base, secret: "x".repeat(40), provider, signInRateLimit: 5 });
  });
  afterAll(async () => t?.drop());

  it("signs up with a scrypt-hashed password and an httpOnly SameSite session cookie", async () => {
    const res = await post(auth, "/sign-up/email", { email: "ines@example.test", password: "s3cret-pass", name: "Inés", role: "instructor" });
    expect(res.status).toBe(200);
    const cookie = res.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(/session_token=/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    const account = await t.db.account.findFirst({ where: { user: { email: "ines@example.test" } }, select: { password: true } });
    expect(account?.password).toBeTruthy();
    expect(account!.password).not.toContain("s3cret-pass");
    expect(account!.password).toMatch(/^[0-9a-f]+:[0-9a-f]+$/); // better-auth's scrypt salt:key
    const user = await t.db.user.findUnique({ where: { email: "ines@example.test" }, select: { role: true } });
    expect(user?.role).toBe("instructor");
  });

  it("never grants a role other than student or instructor", async () => {
    const res = await post(auth, "/sign-up/email", { email: "mallory@example.test", password: "s3cret-pass", name: "M", role: "admin" });
    expect(res.status).toBe(200);
    const user = await t.db.user.findUnique({ where: { email: "mallory@example.test" }, select: { role: true } });
    expect(user?.role).toBe("student");
  });

  it("rejects a duplicate email and a wrong password without changing anything", async () => {
    const dup = await post(auth, "/sign-up/email", { email: "ines@example.test", password: "other-pass-1", name: "Other" }, "198.51.100.1");
    expect(dup.status).toBe(422);
    expect((await dup.json()).code).toMatch(/USER_ALREADY_EXISTS/);
    expect(await t.db.user.count({ where: { email: "ines@example.test" } })).toBe(1);
    const wrong = await post(auth, "/sign-in/email", { email: "ines@example.test", password: "nope-nope" }, "198.51.100.2");
    expect(wrong.status).toBe(401);
    expect((await wrong.json()).code).toBe("INVALID_EMAIL_OR_PASSWORD");
    expect(wrong.headers.get("set-cookie") ?? "").not.toMatch(/session_token=[^;]+/);
  });

  it("rate-limits sign-in attempts per address", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await post(auth, "/sign-in/email", { email: "ines@example.test", password: "bad-guess" }, "192.0.2.99")).status);
    expect(statuses.slice(0, 5).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(5)).toEqual([429, 429]);
    // Another address is not affected.
    expect((await post(auth, "/sign-in/email", { email: "ines@example.test", password: "s3cret-pass" }, "192.0.2.100")).status).toBe(200);
  });

  it("counts the server's client address, not a forwarding header the client sent", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await post(auth, "/sign-in/email", { email: "ines@example.test", password: "bad-guess" }, "192.0.2.50", `198.51.100.${i}`)).status);
    expect(statuses.slice(5)).toEqual([429, 429]);
    // Failures forged "from" 192.0.2.51 count against their sender, not against 192.0.2.51.
    for (let i = 0; i < 6; i++) await post(auth, "/sign-in/email", { email: "ines@example.test", password: "bad-guess" }, "192.0.2.52", "192.0.2.51");
    expect((await post(auth, "/sign-in/email", { email: "ines@example.test", password: "s3cret-pass" }, "192.0.2.51")).status).toBe(200);
  });

  it("rate-limits sign-up per address too", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await post(auth, "/sign-up/email", { email: `many.${i}@example.test`, password: "s3cret-pass", name: "M" }, "192.0.2.60")).status);
    expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
    expect(statuses.slice(5)).toEqual([429, 429]);
  });
});
