// Model challenges end to end through the tRPC caller and the REST handler: both course
// templates, submissions (valid and each kind of refusal, which never counts), the daily limit in
// the class's time zone, public scores on public rows only, private scores and hidden labels kept
// from students until the deadline, finals, leaderboards with nicknames, uploads, and access.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCaller } from "@/lib/server/api/root";
import { handleTrpcRequest } from "@/lib/server/api/trpc-http";
import type { SessionUser } from "@/lib/server/auth";
import type { KernelEvent } from "@/lib/kernel/protocol";
import { KernelRuntime, type TfLike } from "@/lib/kernel/runtime";
import { handleChallengesRequest } from "@/lib/server/services/challenges/rest";
import { createTestDb, insertUser, testProviders, type TestDb } from "./helpers/test-db";

const APP = "http://cuaderno.test";

// ---- independent scorers (not lib/ml): written from the definitions ----
function averagePrecisionByHand(y: number[], s: number[]): number {
  // Scores are distinct here, so AP = mean over positives of precision at that positive's rank.
  const order = s.map((_, i) => i).sort((a, b) => s[b] - s[a]);
  const positives = y.reduce((a, b) => a + b, 0);
  let tp = 0;
  let sum = 0;
  order.forEach((i, k) => {
    if (y[i] === 1) {
      tp++;
      sum += tp / (k + 1);
    }
  });
  return sum / positives;
}
function f1ByHand(y: number[], p: number[]): number {
  let tp = 0, fp = 0, fn = 0;
  for (let i = 0; i < y.length; i++) {
    if (p[i] === 1 && y[i] === 1) tp++;
    else if (p[i] === 1) fp++;
    else if (y[i] === 1) fn++;
  }
  return tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
}

function parseFeatures(csv: string): { header: string[]; ids: string[]; rows: string[][] } {
  const lines = csv.trim().split("\n");
  const header = lines[0].split(",");
  const rows = lines.slice(1).map((l) => l.split(","));
  return { header, ids: rows.map((r) => r[0]), rows };
}

describe.each(testProviders)("model challenges on %s", (provider) => {
  let t: TestDb;
  let teacher: SessionUser, otherTeacher: SessionUser, ana: SessionUser, bruno: SessionUser, carla: SessionUser, outsider: SessionUser;
  let classId: string, otherClassId: string;
  // 2026-03-10 12:00 in Buenos Aires (UTC−3).
  let clock = new Date("2026-03-10T15:00:00Z");
  const now = () => clock;
  const as = (user: SessionUser | null) => createCaller({ db: t.db, user, now });
  const users = new Map<string, SessionUser>();
  const rest = (user: SessionUser | null, path: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    if (user) headers.set("x-test-user", user.id);
    if (init.method === "POST" && !headers.has("origin")) headers.set("origin", APP);
    return handleChallengesRequest(new Request(`${APP}${path}`, { ...init, headers }), {
      db: t.db,
      sessionUser: async (h) => users.get(h.get("x-test-user") ?? "") ?? null,
      appOrigin: APP,
      now,
    });
  };
  const hidden = async (challengeId: string) => {
    const d = await t.db.challengeData.findUniqueOrThrow({ where: { challengeId } });
    return { ids: JSON.parse(d.ids) as string[], labels: JSON.parse(d.labels) as (number | string)[], mask: JSON.parse(d.publicMask) as string };
  };

  beforeAll(async () => {
    t = await createTestDb(provider);
    teacher = await insertUser(t.db, "instructor", "Ada");
    otherTeacher = await insertUser(t.db, "instructor", "Grace");
    ana = await insertUser(t.db, "student", "Ana");
    bruno = await insertUser(t.db, "student", "Bruno");
    carla = await insertUser(t.db, "student", "Carla");
    outsider = await insertUser(t.db, "student", "Eve");
    for (const u of [teacher, otherTeacher, ana, bruno, carla, outsider]) users.set(u.id, u);
    const cls = await as(teacher).classes.create({ name: "MLOps" });
    classId = cls.id;
    otherClassId = (await as(otherTeacher).classes.create({ name: "Other" })).id;
    for (const s of [ana, bruno, carla]) {
      await as(s).classes.join({ code: cls.joinCode! });
      await new Promise((r) => setTimeout(r, 3)); // distinct joinedAt: the anonymous numbers follow it
    }
  });
  afterAll(async () => t?.drop());

  let fraudId: string, magnetId: string;

  it("starts both course templates with one click (deadline +7 days, 5 a day, 30 % public)", async () => {
    const templates = await as(teacher).challenges.templates();
    expect(templates.map((x) => x.id)).toEqual(["fraud-pr-auc", "magnet-faulty-f1"]);
    const fraud = await as(teacher).challenges.createFromTemplate({ classId, template: "fraud-pr-auc" });
    expect(fraud).toMatchObject({ metric: "average-precision", trainDataset: "fraud", dailyLimit: 5, publicFraction: 0.3, rowCount: 4000, role: "instructor", closed: false });
    expect(fraud.deadline.getTime() - clock.getTime()).toBe(7 * 24 * 3600 * 1000);
    const magnet = await as(teacher).challenges.createFromTemplate({ classId, template: "magnet-faulty-f1", locale: "en" });
    expect(magnet).toMatchObject({ metric: "f1", title: "Faulty magnets (F1)", rowCount: 3242, predictionKind: "binary-label" });
    fraudId = fraud.id;
    magnetId = magnet.id;

    const h = await hidden(fraudId);
    const publicRows = [...h.mask].filter((c) => c === "1").length;
    expect(publicRows).toBeGreaterThanOrEqual(1195);
    expect(publicRows).toBeLessThanOrEqual(1205);
    // stratified: the rare class is split 30/70 too
    const pos = h.labels.filter((l) => l === 1).length;
    const pubPos = h.labels.filter((l, i) => l === 1 && h.mask[i] === "1").length;
    expect(pubPos).toBe(Math.round(pos * 0.3));

    expect((await as(ana).challenges.list({ classId })).map((c) => c.id)).toEqual([magnetId, fraudId]);
    await expect(as(ana).challenges.createFromTemplate({ classId, template: "fraud-pr-auc" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(as(otherTeacher).challenges.createFromTemplate({ classId, template: "fraud-pr-auc" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(as(teacher).challenges.createFromTemplate({ classId, template: "no-such" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      cause: { detail: { key: "challenges.errors.unknownTemplate" } },
    });
  });

  it("serves the test features (no target) to class members only", async () => {
    const res = await rest(ana, `/api/challenges/${fraudId}/features.csv`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/csv");
    const csv = await res.text();
    const f = parseFeatures(csv);
    expect(f.header[0]).toBe("id");
    expect(f.header).not.toContain("is_fraud");
    expect(f.rows).toHaveLength(4000);
    expect(f.ids).toEqual((await hidden(fraudId)).ids);

    expect((await rest(outsider, `/api/challenges/${fraudId}/features.csv`)).status).toBe(404);
    expect((await rest(otherTeacher, `/api/challenges/${fraudId}/features.csv`)).status).toBe(404);
    expect((await rest(null, `/api/challenges/${fraudId}/features.csv`)).status).toBe(401);
    // templates train on a course dataset: there is no train file
    expect((await rest(ana, `/api/challenges/${fraudId}/train.csv`)).status).toBe(404);
    const listed = (await (await rest(ana, `/api/challenges?classId=${classId}`)).json()) as { id: string }[];
    expect(listed.map((c) => c.id)).toEqual([magnetId, fraudId]);
    expect(await (await rest(outsider, `/api/challenges`)).json()).toEqual([]);
  });

  let anaBest = 0;

  it("scores a valid submission on the public rows only and returns what is left today", async () => {
    const h = await hidden(fraudId);
    const y = h.labels.map(Number);
    // A noisy score: positives higher on average; distinct values so the hand AP needs no tie rule.
    const scores = y.map((v, i) => v * 0.6 + ((i * 7919) % 1000) / 1000 + i * 1e-9);
    const res = await as(ana).challenges.submit({ challengeId: fraudId, predictions: scores });
    const pub = h.ids.map((_, i) => i).filter((i) => h.mask[i] === "1");
    const expected = averagePrecisionByHand(pub.map((i) => y[i]), pub.map((i) => scores[i]));
    const overall = averagePrecisionByHand(y, scores);
    expect(res.publicScore).toBeCloseTo(expected, 12);
    expect(Math.abs(res.publicScore - overall)).toBeGreaterThan(1e-6);
    expect(res).toMatchObject({ attempt: 1, remainingToday: 4, dailyLimit: 5 });
    expect(res.resetsAt.toISOString()).toBe("2026-03-11T03:00:00.000Z");
    anaBest = res.publicScore;

    // The same predictions as CSV rows in another order score the same.
    const csv = "id,prediction\n" + h.ids.map((id, i) => `${id},${scores[i]}`).reverse().join("\n") + "\n";
    const res2 = await as(ana).challenges.submit({ challengeId: fraudId, csv });
    expect(res2.publicScore).toBeCloseTo(expected, 12);
    expect(res2).toMatchObject({ attempt: 2, remainingToday: 3 });
  });

  it("refuses wrong length, unknown or duplicate ids, NaN, text and empty files with a clear reason, without counting them", async () => {
    const { ids } = await hidden(fraudId);
    const n = ids.length;
    const ok = ids.map(() => 0.5);
    const cases: [string, Parameters<ReturnType<typeof as>["challenges"]["submit"]>[0]][] = [
      ["wrongLength", { challengeId: fraudId, predictions: ok.slice(1) }],
      ["unknownId", { challengeId: fraudId, predictions: ids.map((id, i) => ({ id: i === 5 ? "999999" : id, prediction: 0.1 })) }],
      ["duplicateId", { challengeId: fraudId, csv: "id,prediction\n" + ids.map((id, i) => `${i === 7 ? ids[6] : id},0.1`).join("\n") }],
      ["notANumber", { challengeId: fraudId, predictions: ok.map((v, i) => (i === 3 ? NaN : v)) }],
      ["notANumber", { challengeId: fraudId, csv: "id,prediction\n" + ids.map((id, i) => `${id},${i === 9 ? "NaN" : 0.2}`).join("\n") }],
      ["text", { challengeId: fraudId, predictions: ok.map((v, i) => (i === 2 ? "high" : v)) }],
      ["text", { challengeId: fraudId, csv: "id,prediction\n" + ids.map((id, i) => `${id},${i === 0 ? "fraude" : 0.2}`).join("\n") }],
      ["empty", { challengeId: fraudId, csv: "" }],
      ["empty", { challengeId: fraudId, predictions: [] }],
      ["badHeader", { challengeId: fraudId, csv: "prediction\n" + ids.join("\n") }],
    ];
    for (const [key, input] of cases) {
      const err = await as(ana).challenges.submit(input).then(
        () => null,
        (e: { code: string; message: string; cause?: { detail?: { key: string; params: Record<string, unknown> } } }) => e,
      );
      expect(err, key).not.toBeNull();
      expect(err!.code, key).toBe("BAD_REQUEST");
      expect(err!.cause?.detail?.key, key).toBe(`challenges.errors.${key}`);
      if (key === "wrongLength") expect(err!.message).toBe(`Expected ${n} predictions, got ${n - 1}`);
      if (key === "unknownId") expect(err!.message).toContain("999999");
    }
    // F1 reads decisions: a probability is refused with the id it came from
    const magnetIds = (await hidden(magnetId)).ids;
    await expect(as(ana).challenges.submit({ challengeId: magnetId, predictions: magnetIds.map((_, i) => (i === 4 ? 0.7 : 0)) })).rejects.toMatchObject({
      cause: { detail: { key: "challenges.errors.notBinary", params: { id: magnetIds[4], value: 0.7 } } },
    });
    const view = await as(ana).challenges.get({ challengeId: fraudId });
    expect(view).toMatchObject({ submittedToday: 2, remainingToday: 3, entries: 2 });
    expect(await t.db.challengeSubmission.count({ where: { userId: ana.id } })).toBe(2);
  });

  it("over HTTP, a refusal carries its translatable reason in the tRPC error shape", async () => {
    const req = new Request("http://localhost/api/trpc/challenges.submit", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ json: { challengeId: fraudId, predictions: [0.1, 0.2] } }),
    });
    const res = await handleTrpcRequest(req, { createContext: async () => ({ db: t.db, user: bruno, now }), appOrigin: APP });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { json: { message: string; data: { messageKey: string; detail: { key: string; params: Record<string, unknown> } } } } };
    expect(body.error.json.data).toMatchObject({ messageKey: "invalidInput", detail: { key: "challenges.errors.wrongLength", params: { expected: 4000, got: 2 } } });
  });

  it("enforces the daily limit and resets it at midnight in the class's time zone", async () => {
    const { ids } = await hidden(fraudId);
    const preds = ids.map((_, i) => (i % 10) / 10);
    for (let k = 3; k <= 5; k++) {
      const r = await as(ana).challenges.submit({ challengeId: fraudId, predictions: preds });
      expect(r.attempt).toBe(k);
    }
    await expect(as(ana).challenges.submit({ challengeId: fraudId, predictions: preds })).rejects.toMatchObject({
      code: "TOO_MANY_REQUESTS",
      cause: { detail: { key: "challenges.errors.dailyLimit", params: { limit: 5, timeZone: "America/Argentina/Buenos_Aires" } } },
    });
    // 23:59 in Buenos Aires is still the same day there (02:59 UTC the next day)
    clock = new Date("2026-03-11T02:59:00Z");
    await expect(as(ana).challenges.submit({ challengeId: fraudId, predictions: preds })).rejects.toMatchObject({ code: "TOO_MANY_REQUESTS" });
    // the REST answer says it in the reader's language
    const res = await rest(ana, `/api/challenges/${fraudId}/submissions`, {
      method: "POST",
      headers: { "content-type": "application/json", "accept-language": "es-AR,es;q=0.9" },
      body: JSON.stringify({ predictions: preds }),
    });
    expect(res.status).toBe(429);
    expect(await res.json()).toMatchObject({ error: { code: "dailyLimit", message: expect.stringContaining("Ya usaste las 5 entregas de hoy") } });
    // 00:00 there
    clock = new Date("2026-03-11T03:00:00Z");
    const r = await as(ana).challenges.submit({ challengeId: fraudId, predictions: preds });
    expect(r).toMatchObject({ attempt: 6, remainingToday: 4 });
    expect((await as(ana).challenges.get({ challengeId: fraudId })).today).toBe("2026-03-11");
    // another student's limit is their own
    const b = await as(bruno).challenges.submit({ challengeId: fraudId, predictions: preds });
    expect(b).toMatchObject({ attempt: 1, remainingToday: 4 });
  });

  it("accepts CSV uploads and JSON through REST, and refuses cross-site posts", async () => {
    const { ids } = await hidden(fraudId);
    const csv = "id,prediction\r\n" + ids.map((id, i) => `${id},${(i % 7) / 7}`).join("\r\n") + "\r\n";
    const form = new FormData();
    form.set("file", new Blob([csv], { type: "text/csv" }), "preds.csv");
    const res = await rest(carla, `/api/challenges/${fraudId}/submissions`, { method: "POST", body: form });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { publicScore: number; attempt: number; remainingToday: number };
    expect(body).toMatchObject({ attempt: 1, remainingToday: 4 });
    const viaText = await rest(carla, `/api/challenges/${fraudId}/submissions`, { method: "POST", headers: { "content-type": "text/csv" }, body: csv });
    expect(((await viaText.json()) as { publicScore: number }).publicScore).toBe(body.publicScore);
    const bad = await rest(carla, `/api/challenges/${fraudId}/submissions`, {
      method: "POST",
      headers: { "content-type": "text/csv", "accept-language": "en" },
      body: "id,prediction\n1,0.5\n",
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: "wrongLength", message: `Expected ${ids.length} predictions (one per test row), got 1.` } });
    const forged = await rest(carla, `/api/challenges/${fraudId}/submissions`, { method: "POST", headers: { "content-type": "text/csv", origin: "https://evil.example" }, body: csv });
    expect(forged.status).toBe(403);
    expect((await as(carla).challenges.get({ challengeId: fraudId })).submittedToday).toBe(2);
    expect((await rest(outsider, `/api/challenges/${fraudId}/submissions`, { method: "POST", headers: { "content-type": "text/csv" }, body: csv })).status).toBe(404);
  });

  it("keeps private scores and hidden labels from students before the deadline", async () => {
    const privateScores = (await t.db.challengeSubmission.findMany({ where: { challengeId: fraudId }, select: { privateScore: true } })).map((s) => s.privateScore);
    const h = await hidden(fraudId);
    const responses = [
      await as(ana).challenges.get({ challengeId: fraudId }),
      await as(ana).challenges.mySubmissions({ challengeId: fraudId }),
      await as(ana).challenges.leaderboard({ challengeId: fraudId }),
      await as(ana).challenges.list({ classId }),
      await (await rest(ana, `/api/challenges?classId=${classId}`)).text(),
      await (await rest(ana, `/api/challenges/${fraudId}/features.csv`)).text(),
    ];
    const text = responses.map((r) => (typeof r === "string" ? r : JSON.stringify(r))).join("\n");
    for (const p of privateScores) expect(text).not.toContain(String(p));
    expect(text).not.toContain("privateScore\":0");
    expect(text).not.toContain("publicMask");
    expect(responses[5] as string).not.toMatch(/is_fraud/);
    // the features file holds no label: no column has exactly the hidden labels
    const f = parseFeatures(responses[5] as string);
    for (let c = 1; c < f.header.length; c++) expect(f.rows.map((r) => Number(r[c]))).not.toEqual(h.labels);
    const mine = await as(ana).challenges.mySubmissions({ challengeId: fraudId });
    expect(mine.every((s) => s.privateScore === null)).toBe(true);
    expect((await as(ana).challenges.leaderboard({ challengeId: fraudId })).private).toBeNull();
    // the instructor sees them at any time
    const board = await as(teacher).challenges.leaderboard({ challengeId: fraudId });
    expect(board.private).not.toBeNull();
    expect(board.private!.map((r) => r.score).every((s) => privateScores.includes(s))).toBe(true);
  });

  it("lets a student mark at most two finals, only their own", async () => {
    const mine = await as(ana).challenges.mySubmissions({ challengeId: fraudId });
    expect(mine.map((s) => s.attempt)).toEqual([1, 2, 3, 4, 5, 6]);
    // default: the best public one counts
    expect(mine.filter((s) => s.counts).map((s) => s.publicScore)).toEqual([anaBest]);
    await as(ana).challenges.setFinal({ challengeId: fraudId, submissionId: mine[2].id, selected: true });
    const r = await as(ana).challenges.setFinal({ challengeId: fraudId, submissionId: mine[3].id, selected: true });
    expect(r.finals).toEqual([mine[2].id, mine[3].id]);
    await expect(as(ana).challenges.setFinal({ challengeId: fraudId, submissionId: mine[4].id, selected: true })).rejects.toMatchObject({
      cause: { detail: { key: "challenges.errors.tooManyFinals" } },
    });
    const brunoSub = (await as(bruno).challenges.mySubmissions({ challengeId: fraudId }))[0];
    await expect(as(ana).challenges.setFinal({ challengeId: fraudId, submissionId: brunoSub.id, selected: true })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await as(ana).challenges.setFinal({ challengeId: fraudId, submissionId: mine[3].id, selected: false });
    await as(ana).challenges.setFinal({ challengeId: fraudId, submissionId: mine[0].id, selected: true });
    const after = await as(ana).challenges.mySubmissions({ challengeId: fraudId });
    expect(after.filter((s) => s.counts).map((s) => s.attempt)).toEqual([1, 3]);
  });

  it("orders the leaderboard by best public score and shows names or nicknames as the instructor chooses", async () => {
    const v0 = (await as(ana).challenges.leaderboardVersion({ challengeId: fraudId })).version;
    const board = await as(bruno).challenges.leaderboard({ challengeId: fraudId });
    expect(board.public.map((r) => r.name)).toEqual(["Ana", "Carla", "Bruno"].filter((n) => board.public.some((r) => r.name === n)).sort(
      (a, b) => board.public.find((r) => r.name === a)!.rank - board.public.find((r) => r.name === b)!.rank,
    ));
    const scores = board.public.map((r) => r.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    expect(board.public[0]).toMatchObject({ rank: 1, name: "Ana", score: anaBest, entries: 6, isMe: false, userId: null });
    expect(board.public.find((r) => r.isMe)?.name).toBe("Bruno");

    await as(ana).challenges.setNickname({ classId, nickname: "  La   Gata " });
    await expect(as(bruno).challenges.setNickname({ classId, nickname: "la gata" })).rejects.toMatchObject({ code: "CONFLICT" });
    await expect(as(bruno).challenges.updateSettings({ classId, leaderboardNames: "nickname" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await as(teacher).challenges.updateSettings({ classId, leaderboardNames: "nickname" });
    const v1 = (await as(ana).challenges.leaderboardVersion({ challengeId: fraudId })).version;
    expect(v1).not.toBe(v0);
    const named = await as(bruno).challenges.leaderboard({ challengeId: fraudId });
    expect(named.names).toBe("nickname");
    const byRank = Object.fromEntries(named.public.map((r) => [r.rank, r]));
    expect(byRank[1]).toMatchObject({ name: "La Gata", anonymous: null });
    // Bruno joined second and has no nickname; Carla third
    expect(named.public.find((r) => r.isMe)).toMatchObject({ name: "Anónimo #2", anonymous: 2 });
    expect(JSON.stringify(named)).not.toMatch(/Bruno|Carla|"Ana"/);
    expect(await as(bruno).challenges.settings({ classId })).toMatchObject({ leaderboardNames: "nickname", nickname: null, timeZone: "America/Argentina/Buenos_Aires" });
    await expect(as(teacher).challenges.updateSettings({ classId, timeZone: "Mars/Olympus" })).rejects.toMatchObject({ cause: { detail: { key: "challenges.errors.badTimeZone" } } });

    // a new submission changes the version the page polls
    const { ids } = await hidden(fraudId);
    await as(carla).challenges.submit({ challengeId: fraudId, predictions: ids.map((_, i) => (i % 3) / 3) });
    expect((await as(ana).challenges.leaderboardVersion({ challengeId: fraudId })).version).not.toBe(v1);
  });

  it("after the deadline: no more submissions, finals frozen, the private leaderboard with rank shifts for everyone", async () => {
    const deadline = (await as(ana).challenges.get({ challengeId: fraudId })).deadline;
    clock = new Date(deadline.getTime() + 1000);
    const { ids } = await hidden(fraudId);
    await expect(as(bruno).challenges.submit({ challengeId: fraudId, predictions: ids.map(() => 0.5) })).rejects.toMatchObject({
      cause: { detail: { key: "challenges.errors.closed" } },
    });
    const mine = await as(ana).challenges.mySubmissions({ challengeId: fraudId });
    await expect(as(ana).challenges.setFinal({ challengeId: fraudId, submissionId: mine[5].id, selected: true })).rejects.toMatchObject({
      cause: { detail: { key: "challenges.errors.closed" } },
    });
    expect(mine.every((s) => typeof s.privateScore === "number")).toBe(true);
    const board = await as(bruno).challenges.leaderboard({ challengeId: fraudId });
    expect(board.closed).toBe(true);
    expect(board.private).not.toBeNull();
    // Ana's finals are attempts 1 and 3: her private score is the better of their private scores
    const anaRow = board.private!.find((r) => r.name === "La Gata")!;
    expect(anaRow.score).toBe(Math.max(mine[0].privateScore!, mine[2].privateScore!));
    for (const r of board.private!) expect(r.shift).toBe(r.publicRank - r.rank);
    const priv = board.private!.map((r) => r.score);
    expect([...priv].sort((a, b) => b - a)).toEqual(priv);
    expect((await as(ana).challenges.get({ challengeId: fraudId })).closed).toBe(true);
    clock = new Date("2026-03-11T15:00:00Z");
  });

  it("creates a challenge from an uploaded CSV: hidden test labels, a labelled train file, generated ids", async () => {
    const lines = ["x1,x2,label"];
    for (let i = 0; i < 200; i++) lines.push(`${i % 13},${(i * 37) % 101},${i % 4 === 0 ? "yes" : "no"}`);
    const csv = lines.join("\n") + "\n";
    const view = await as(teacher).challenges.createFromCsv({
      classId,
      title: "Subido",
      csv,
      targetColumn: "label",
      idColumn: null,
      metric: "roc-auc",
      positiveLabel: "yes",
      dailyLimit: 3,
    });
    expect(view).toMatchObject({ rowCount: 60, hasTrainFile: true, idColumn: "id", positiveLabel: "yes", dailyLimit: 3, trainDataset: null });
    const features = await (await rest(ana, `/api/challenges/${view.id}/features.csv`)).text();
    const train = await (await rest(ana, `/api/challenges/${view.id}/train.csv`)).text();
    const f = parseFeatures(features);
    const tr = parseFeatures(train);
    expect(f.header).toEqual(["id", "x1", "x2"]);
    expect(tr.header).toEqual(["id", "x1", "x2", "label"]);
    expect(tr.rows).toHaveLength(140);
    expect(f.ids.filter((id) => tr.ids.includes(id))).toEqual([]);
    // stratified 30 %: 50 "yes" rows → 15 hidden
    const h = await hidden(view.id);
    expect(h.labels.filter((l) => l === "yes")).toHaveLength(15);
    expect(h.ids).toEqual(f.ids);
    // a perfect ranking scores 1 on both parts
    const res = await as(ana).challenges.submit({ challengeId: view.id, predictions: h.labels.map((l) => (l === "yes" ? 0.9 : 0.1)) });
    expect(res.publicScore).toBe(1);
    expect(res.remainingToday).toBe(2);
    // the instructor raises the limit and may close it now, not in the past
    expect((await as(teacher).challenges.update({ challengeId: view.id, dailyLimit: 10 })).dailyLimit).toBe(10);
    expect((await as(ana).challenges.get({ challengeId: view.id })).remainingToday).toBe(9);
    await expect(as(teacher).challenges.update({ challengeId: view.id, deadline: new Date(clock.getTime() - 3600_000) })).rejects.toMatchObject({
      cause: { detail: { key: "challenges.errors.deadlineInPast" } },
    });
    expect((await as(teacher).challenges.update({ challengeId: view.id, deadline: clock })).closed).toBe(true);
    await expect(as(ana).challenges.submit({ challengeId: view.id, predictions: h.labels.map(() => 0.5) })).rejects.toMatchObject({ cause: { detail: { key: "challenges.errors.closed" } } });

    // upload through the multipart route
    const form = new FormData();
    form.set("file", new Blob([csv], { type: "text/csv" }), "data.csv");
    for (const [k, v] of Object.entries({ classId, title: "Multipart", targetColumn: "label", idColumn: "", metric: "f1", positiveLabel: "yes", testFraction: "0.25" })) form.set(k, v);
    const up = await rest(teacher, "/api/challenges", { method: "POST", body: form });
    expect(up.status).toBe(200);
    // stratified 25 %: round(50 · 0.25) = 13 "yes" and round(150 · 0.25) = 38 "no" rows
    expect(await up.json()).toMatchObject({ title: "Multipart", rowCount: 51, metric: "f1" });
    expect((await rest(ana, "/api/challenges", { method: "POST", body: form })).status).toBe(403);

    // clear refusals: unknown target, positive label absent, a class missing from a part
    await expect(as(teacher).challenges.createFromCsv({ classId, title: "x y", csv, targetColumn: "nope", idColumn: null, metric: "f1", positiveLabel: "yes" })).rejects.toMatchObject({
      cause: { detail: { key: "challenges.errors.noTargetColumn" } },
    });
    await expect(as(teacher).challenges.createFromCsv({ classId, title: "x y", csv, targetColumn: "label", idColumn: null, metric: "f1", positiveLabel: "maybe" })).rejects.toMatchObject({
      cause: { detail: { key: "challenges.errors.positiveLabelUnknown" } },
    });
    await expect(as(teacher).challenges.createFromCsv({ classId, title: "x y", csv, targetColumn: "label", idColumn: "x1", metric: "f1", positiveLabel: "yes" })).rejects.toMatchObject({
      cause: { detail: { key: "challenges.errors.idNotUnique" } },
    });
    await expect(as(teacher).challenges.createFromCsv({ classId, title: "x y", csv, targetColumn: "label", idColumn: null, metric: "rmse", positiveLabel: null })).rejects.toMatchObject({
      cause: { detail: { key: "challenges.errors.targetNotNumeric" } },
    });
  });

  it("F1 on the magnet template matches a hand count on the public rows", async () => {
    const h = await hidden(magnetId);
    const y = h.labels.map(Number);
    // flag every faulty row plus every 50th healthy one
    const p = y.map((v, i) => (v === 1 || i % 50 === 0 ? 1 : 0));
    const res = await as(bruno).challenges.submit({ challengeId: magnetId, predictions: h.ids.map((id, i) => ({ id: Number(id), prediction: p[i] })) });
    const pub = y.map((_, i) => i).filter((i) => h.mask[i] === "1");
    expect(res.publicScore).toBeCloseTo(f1ByHand(pub.map((i) => y[i]), pub.map((i) => p[i])), 12);
  });

  it("a notebook loads the test features with data.load and submits with challenge.submit", async () => {
    const events: KernelEvent[] = [];
    // The worker's same-origin fetch, with Carla's session, answered by the REST handler.
    const kernelFetch = (async (input: RequestInfo | URL, init?: RequestInit) => rest(carla, String(input), init)) as typeof fetch;
    const rt = new KernelRuntime({ emit: (e) => events.push(e), loadTf: async () => ({}) as TfLike, fetch: kernelFetch });
    const run = async (runId: string, source: string) => {
      events.length = 0;
      await rt.run({ runId, cellId: runId, source, kind: "code" });
      const out = events.filter((e) => e.type === "stream").map((e) => (e as { text: string }).text).join("");
      const errors = events.filter((e) => e.type === "error").map((e) => (e as { message: string }).message);
      return { out, errors };
    };
    const listed = await run("c0", `const mine = await challenge.list(); console.log(JSON.stringify(mine.map((c) => [c.id, c.predictionKind])))`);
    expect(listed.errors).toEqual([]);
    expect(JSON.parse(listed.out)).toEqual(expect.arrayContaining([[magnetId, "binary-label"]]));
    const h = await hidden(magnetId);
    const faulty = new Set(h.ids.filter((_, i) => h.labels[i] === 1));
    // (the cell cannot know the labels; the test hands it a perfect answer to check the wiring)
    (globalThis as Record<string, unknown>).__faulty = faulty;
    const ok = await run(
      "c1",
      [
        `const test = await data.load("challenge:${magnetId}");`,
        `const ids = test.column("id");`,
        `const preds = ids.map((id) => (globalThis.__faulty.has(String(id)) ? 1 : 0));`,
        `const r = await challenge.submit("${magnetId}", preds);`,
        `console.log(JSON.stringify({ n: test.rows.length, cols: test.columns.length, name: test.name, ...r }));`,
      ].join("\n"),
    );
    expect(ok.errors).toEqual([]);
    const r = JSON.parse(ok.out) as Record<string, unknown>;
    expect(r).toMatchObject({ n: 3242, cols: 65, name: `challenge_${magnetId}`, publicScore: 1, attempt: 1, remainingToday: 4, dailyLimit: 5 });
    // a tensor-like column, and a NaN: refused with the reason, not counted
    const bad = await run("c2", `const p = new Float32Array(${h.ids.length}); p[3] = NaN; await challenge.submit("${magnetId}", p);`);
    expect(bad.errors.join()).toMatch(/challenge\.submit: .*NaN/);
    const short = await run("c3", `await challenge.submit("${magnetId}", [1, 0, 1]);`);
    // no Accept-Language: the default locale, Spanish
    expect(short.errors.join()).toContain(`Se esperaban ${h.ids.length} predicciones (una por fila de prueba) y llegaron 3.`);
    expect((await as(carla).challenges.get({ challengeId: magnetId })).submittedToday).toBe(1);
    const foreign = await run("c4", `await data.load("challenge:nope-nope")`);
    expect(foreign.errors.join()).toMatch(/could not be loaded/);
    delete (globalThis as Record<string, unknown>).__faulty;
  });

  it("counts concurrent submissions against the limit exactly", async () => {
    const { ids } = await hidden(magnetId);
    const preds = ids.map((_, i) => (i % 9 === 0 ? 1 : 0));
    const dave = await insertUser(t.db, "student", "Dave");
    await t.db.membership.create({ data: { classId, userId: dave.id } });
    const results = await Promise.allSettled(Array.from({ length: 8 }, () => as(dave).challenges.submit({ challengeId: magnetId, predictions: preds })));
    const ok = results.filter((r) => r.status === "fulfilled");
    expect(ok).toHaveLength(5);
    expect(results.filter((r) => r.status === "rejected").every((r) => (r as PromiseRejectedResult).reason.code === "TOO_MANY_REQUESTS")).toBe(true);
    expect(ok.map((r) => (r as PromiseFulfilledResult<{ attempt: number }>).value.attempt).sort()).toEqual([1, 2, 3, 4, 5]);
    expect(await t.db.challengeSubmission.count({ where: { userId: dave.id } })).toBe(5);
  });

  it("keeps other classes and non-members out", async () => {
    await expect(as(outsider).challenges.get({ challengeId: fraudId })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(as(outsider).challenges.leaderboard({ challengeId: fraudId })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(as(outsider).challenges.submit({ challengeId: magnetId, predictions: [1] })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(as(outsider).challenges.list({ classId })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(as(otherTeacher).challenges.leaderboard({ challengeId: fraudId })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(as(otherTeacher).challenges.list({ classId })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(as(otherTeacher).challenges.update({ challengeId: fraudId, dailyLimit: 50 })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(as(ana).challenges.update({ challengeId: fraudId, dailyLimit: 50 })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(as(teacher).challenges.submit({ challengeId: magnetId, predictions: [1] })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(as(null).challenges.list({ classId })).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    expect(await as(otherTeacher).challenges.list({ classId: otherClassId })).toEqual([]);
    await expect(as(outsider).challenges.setNickname({ classId, nickname: "Spy" })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
