// The grading sandbox as the server users run exposes it (issue 12, points 3 and 9): attacks
// submitted through `grading.submit` over HTTP are contained with a clear grade message while
// another student's submission, sent at the same moment, gets its right grade and the server
// keeps answering other requests; a burst of 500 submissions is queued, not dropped, and every
// one gets its grade. The exercise is the course's first graded function exercise (read from the
// lesson files); its reference solution is the innocent submission.
import { expect, test, type APIRequest, type APIRequestContext } from "@playwright/test";
import { gradedExercises } from "../../lib/content/graded-exercises";
import { uniqueEmail } from "./helpers";

function firstFunctionExercise() {
  const found = gradedExercises("es").find((e) => e.spec.kind === "function");
  if (!found || found.spec.kind !== "function") throw new Error("no lesson has a graded function exercise");
  return { slug: found.lesson.slug, exerciseId: found.cell.id, solution: found.cell.solution, functionName: found.spec.functionName, cases: found.spec.cases.length };
}

const exercise = firstFunctionExercise();
const base = process.env.E2E_BASE_URL!;

interface Answer {
  attempt: number;
  status: string;
  score: number;
  passed: number;
  total: number;
  message: string;
  cases: { name: string; passed: boolean; verdict: string }[];
}

/** A signed-up student's API context (session cookie kept by the context). */
async function student(playwright: APIRequest, label: string): Promise<APIRequestContext> {
  const ctx: APIRequestContext = await playwright.newContext({ baseURL: base, extraHTTPHeaders: { origin: base } });
  const r = await ctx.post("/api/auth/sign-up/email", { data: { email: uniqueEmail(label.toLowerCase().replace(/\s+/g, "-")), password: "grading-password-1", name: label } });
  expect(r.ok(), await r.text()).toBe(true);
  return ctx;
}

async function submit(ctx: APIRequestContext, code: string): Promise<Answer> {
  const r = await ctx.post("/api/trpc/grading.submit", { data: { json: { lessonSlug: exercise.slug, locale: "es", exerciseId: exercise.exerciseId, code } } });
  const body = await r.text();
  expect(r.status(), body).toBe(200);
  return (JSON.parse(body) as { result: { data: { json: Answer } } }).result.data.json;
}

/** Polls a cheap route while `work` runs; returns the slowest answer time seen (ms). */
async function slowestAnswerDuring(ctx: APIRequestContext, work: Promise<unknown>): Promise<number> {
  let done = false;
  void work.finally(() => (done = true));
  let slowest = 0;
  let answers = 0;
  while (!done) {
    const t0 = Date.now();
    const r = await ctx.get("/api/auth/ok");
    expect(r.ok()).toBe(true);
    slowest = Math.max(slowest, Date.now() - t0);
    answers++;
    await new Promise((res) => setTimeout(res, 50));
  }
  expect(answers).toBeGreaterThan(0);
  return slowest;
}

/** The student's function with `body` as its whole body (same name and arity as the reference). */
const attack = (body: string) => `function ${exercise.functionName}(...args) {\n${body}\n}`;

const ATTACKS: { name: string; code: string; status: string[]; message: RegExp }[] = [
  { name: "while(true){} at the top level", code: "while (true) {}", status: ["limit"], message: /time/i },
  // On a busy machine the wall-clock limit can stop it before it reaches 64 MB: either limit
  // contains it (tests/unit/grading/sandbox.test.ts pins the memory limit itself).
  { name: "a memory bomb (many 1 MB strings, quickjs-emscripten #271)", code: 'const c = []; while (true) c.push("x".repeat(1024 * 1024) + c.length);', status: ["limit"], message: /memory|time limit/i },
  { name: "a 100 MB string", code: 'const x = "x".repeat(1e8);', status: ["limit"], message: /memory/i },
  { name: "constructor.constructor('return process')()", code: attack('const p = (() => {}).constructor.constructor("return process")(); return p.mainModule.require("fs").readFileSync("/etc/passwd", "utf8");'), status: ["graded"], message: /0 of|de/ },
  { name: "import()", code: 'import("node:fs").then((fs) => fs.readFileSync("/etc/passwd"));', status: ["error", "graded"], message: /./ },
  { name: "deep recursion", code: attack("const f = (n) => f(n + 1) + 1; return f(0);"), status: ["graded"], message: /./ },
];

test.describe("grading through the server", () => {
  test("each attack is contained with a clear message; a concurrent student's grade is right; the server keeps answering", async ({ playwright }) => {
    test.setTimeout(240_000);
    const mallory = await student(playwright.request, "Mallory");
    const ana = await student(playwright.request, "Ana");
    const observer = await playwright.request.newContext({ baseURL: base });
    // Warm-up: the first submission prepares the reference.
    expect((await submit(ana, exercise.solution)).score).toBe(1);
    for (const a of ATTACKS) {
      const both = Promise.all([submit(mallory, a.code), submit(ana, exercise.solution)]);
      const slowest = await slowestAnswerDuring(observer, both);
      const [bad, good] = await both;
      expect.soft(a.status, `${a.name}: ${JSON.stringify(bad)}`).toContain(bad.status);
      expect.soft(bad.score, a.name).toBe(0);
      expect.soft(bad.message, a.name).toMatch(a.message);
      expect.soft(bad.message.length, a.name).toBeGreaterThan(0);
      expect.soft(good, `${a.name}: the innocent submission`).toMatchObject({ status: "graded", score: 1, passed: exercise.cases, total: exercise.cases });
      // The web server's event loop is not the sandbox's: other requests answer meanwhile.
      expect.soft(slowest, `${a.name}: slowest /api/auth/ok while grading`).toBeLessThan(1500);
      console.log(`${a.name}: ${bad.status} — ${bad.message}; concurrent innocent grade ${good.score}; slowest other request ${slowest} ms`);
    }
    await Promise.all([mallory.dispose(), ana.dispose(), observer.dispose()]);
  });

  test("a burst of 500 submissions is queued, not dropped: every one gets its grade and its own attempt number", async ({ playwright }) => {
    test.setTimeout(240_000);
    const students = await Promise.all(Array.from({ length: 10 }, (_, i) => student(playwright.request, `Burst ${i}`)));
    const t0 = Date.now();
    const answers = await Promise.all(
      Array.from({ length: 500 }, (_, i) => submit(students[i % students.length]!, i % 2 ? exercise.solution : attack("return -1;"))),
    );
    console.log(`500 submissions at once: all answered in ${Date.now() - t0} ms`);
    expect(answers.filter((a) => a.status === "graded")).toHaveLength(500);
    expect(answers.filter((a, i) => (i % 2 ? a.score === 1 : a.score === 0))).toHaveLength(500);
    // Every student's attempts are numbered 1…50, none lost or repeated.
    for (let s = 0; s < students.length; s++) {
      const attempts = answers.filter((_, i) => i % students.length === s).map((a) => a.attempt).sort((x, y) => x - y);
      expect(attempts).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    }
    await Promise.all(students.map((s) => s.dispose()));
  });
});
