// A live quiz end to end in Chromium, with real key events: an instructor builds a quiz set (a
// lesson's question + their own true/false and multiple select) and hosts it; three players join
// from their own browser contexts with the PIN (after a wrong PIN and a taken nickname, told in
// Spanish), answer at different speeds; one closes its page in the middle of a question and comes
// back with its rejoin token, keeping its score and answering the open question; the podium and the
// results match the scores computed here with the scoring formula from the response times the
// server recorded.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, test, type BrowserContext, type Page } from "@playwright/test";
import { parseLessonMarkdown } from "../../lib/notebook/lesson-markdown";
import type { QuizCell } from "../../lib/notebook/types";
import { e2eDb, expectSignedInAs, signUp, uniqueEmail } from "./helpers";

const root = join(fileURLToPath(new URL(".", import.meta.url)), "..", "..");
const TYPING = { delay: 40 };

// The imbalance lesson's first self-check question, as the lesson file has it.
const lessonDoc = parseLessonMarkdown(readFileSync(join(root, "content", "lessons", "imbalance", "es.md"), "utf8"), { locale: "es", lessonSlug: "imbalance" });
const lessonQ = (lessonDoc.cells.find((c) => c.kind === "quiz") as QuizCell).questions[0];
const lessonCorrect = lessonQ.options.findIndex((o) => o.correct);
const lessonWrong = lessonQ.options.findIndex((o) => !o.correct);

/** What each player answers, and the independent scoring of it (issue 14 point 4, defaults). */
type Given = { q: number; kind: "single"; choice: number } | { q: number; kind: "tf"; value: boolean } | { q: number; kind: "multi"; choices: number[] };
const MULTI_CORRECT = [0, 2];
function fractionOf(g: Given): { correct: boolean; fraction: number } {
  if (g.kind === "single") return g.choice === lessonCorrect ? { correct: true, fraction: 1 } : { correct: false, fraction: 0 };
  if (g.kind === "tf") return g.value === true ? { correct: true, fraction: 1 } : { correct: false, fraction: 0 };
  if (g.choices.some((c) => !MULTI_CORRECT.includes(c))) return { correct: false, fraction: 0 };
  return { correct: g.choices.length === MULTI_CORRECT.length, fraction: g.choices.length / MULTI_CORRECT.length };
}
const LIMIT_MS = [20_000, 60_000, 20_000];
/** round(P × (1 − (t/T)/2)), full points under 0.5 s; +100 per consecutive correct answer after the first, up to +500. */
function expectedScore(given: Given[], msByQ: Map<number, number>): number {
  let score = 0;
  let streak = 0;
  for (const g of [...given].sort((a, b) => a.q - b.q)) {
    const ms = msByQ.get(g.q)!;
    const { correct, fraction } = fractionOf(g);
    const base = ms < 500 ? 1000 : Math.round(1000 * (1 - ms / LIMIT_MS[g.q] / 2));
    if (fraction === 0) {
      streak = 0;
      continue;
    }
    score += Math.round(base * fraction);
    if (!correct) {
      streak = 0;
      continue;
    }
    streak += 1;
    score += Math.min(500, 100 * (streak - 1));
  }
  return score;
}

async function typeInto(page: Page, testId: string, text: string) {
  await page.getByTestId(testId).click();
  await page.keyboard.type(text, TYPING);
}

async function joinGame(page: Page, pin: string, nickname: string, from: "play" | "lesson" = "play") {
  if (from === "play") await page.goto("/es/play");
  await page.getByTestId("play-pin").click();
  await page.keyboard.press("Control+A");
  await page.keyboard.type(pin, TYPING);
  await page.getByTestId("play-nickname").click();
  await page.keyboard.press("Control+A");
  await page.keyboard.type(nickname, TYPING);
  await page.keyboard.press("Enter");
}

async function waitAnswering(page: Page, q: number) {
  await expect(page.getByTestId("play-screen")).toHaveAttribute("data-phase", "answering", { timeout: 20_000 });
  await expect(page.getByTestId("play-countdown")).toBeVisible();
  await expect(page.getByText(`Pregunta ${q + 1} de 3`)).toBeVisible();
  await expect(page.getByTestId("answer-0")).toBeVisible();
}

async function answerWithKeys(page: Page, g: Given) {
  if (g.kind === "single") await page.keyboard.press(String(g.choice + 1));
  else if (g.kind === "tf") await page.keyboard.press(g.value ? "1" : "2");
  else {
    for (const c of g.choices) await page.keyboard.press(String(c + 1));
    await page.getByTestId("answer-send").focus();
    await page.keyboard.press("Enter");
  }
  // "Answer taken", or already the reveal when this was the last answer the question waited for.
  await expect(page.locator('[data-testid="play-taken"][data-state="taken"], [data-testid="play-result"]')).toBeVisible();
}

test("an instructor hosts a quiz set live; three players answer, one drops and rejoins, the podium follows the formula", async ({ page, browser }) => {
  test.setTimeout(300_000);
  const email = uniqueEmail("host");
  await signUp(page, { name: "Ada Docente", email, password: "ada-password-1", role: "instructor" });
  await expectSignedInAs(page, "Ada Docente");

  // ---- the quiz set: a lesson question + two of the instructor's own ----
  await page.goto("/es/quizzes");
  await expect(page.getByTestId("lesson-quiz")).toHaveCount(7);
  await typeInto(page, "new-set-title", "Repaso en vivo");
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("quiz-set-editor")).toBeVisible();
  await page.getByTestId("lesson-pick").selectOption("imbalance/self-check");
  await page.getByTestId("lesson-question").first().check();
  await page.getByTestId("lesson-add-chosen").click();
  await expect(page.getByTestId("set-item")).toHaveCount(1);

  await page.getByTestId("add-truefalse").click();
  let item = page.getByTestId("set-item").last();
  await item.getByTestId("q-prompt").click();
  await page.keyboard.type("El conjunto de test se usa una sola vez, al final.", TYPING);
  await expect(item.getByTestId("q-true")).toBeChecked();
  // A longer time: a player leaves and comes back during this question.
  await item.getByTestId("q-time").click();
  await page.keyboard.press("Control+A");
  await page.keyboard.type("60", TYPING);

  await page.getByTestId("add-multi").click();
  item = page.getByTestId("set-item").last();
  await item.getByTestId("q-prompt").click();
  await page.keyboard.type("¿Qué evita la fuga de datos?", TYPING);
  const options = ["Partir antes de escalar", "Escalar con todo el dataset", "Agrupar por paciente"];
  for (let i = 0; i < 3; i++) {
    await item.getByTestId("q-option").nth(i).click();
    await page.keyboard.type(options[i], TYPING);
  }
  await item.getByTestId("q-correct").nth(2).check();
  await item.getByTestId("q-explanation").click();
  await page.keyboard.type("Escalar con todo el dataset filtra información del test.", TYPING);
  await page.getByTestId("set-save").click();
  await expect(page.getByTestId("set-saved")).toBeVisible();
  expect(await page.getByTestId("set-item").evaluateAll((els) => els.map((e) => e.getAttribute("data-type")))).toEqual(["single", "truefalse", "multi"]);

  // ---- host it ----
  await page.getByTestId("set-host").click();
  await expect(page.getByTestId("host-screen")).toHaveAttribute("data-phase", "lobby");
  const pin = (await page.getByTestId("host-pin").textContent())!.trim();
  expect(pin).toMatch(/^\d{6}$/);
  await expect(page.getByTestId("host-join-url")).toHaveText(new RegExp(`/es/play\\?pin=${pin}$`));
  await expect(page.getByTestId("join-qr")).toBeVisible();
  const gameId = page.url().split("/").pop()!;

  // ---- three players, each in their own browser context ----
  const contexts: BrowserContext[] = [];
  const players: Page[] = [];
  for (let i = 0; i < 3; i++) {
    const ctx = await browser.newContext({ locale: "es-AR" });
    contexts.push(ctx);
    players.push(await ctx.newPage());
  }
  const [ana, bruno, carla] = players;
  const wrongPin = pin === "000000" ? "000001" : "000000";
  await joinGame(ana, wrongPin, "Ana");
  await expect(ana.getByTestId("play-error")).toContainText("No hay ningún juego con ese PIN");
  await joinGame(ana, pin, "Ana");
  await expect(ana.getByTestId("play-lobby")).toBeVisible();
  // Bruno plays from inside the lesson: the game's phone view sits in the lesson's quiz block.
  await bruno.goto("/es/lessons/imbalance");
  const slot = bruno.locator('[data-testid="cell"][data-kind="quiz"] [data-testid="lesson-live-quiz"]');
  await slot.getByTestId("lesson-live-toggle").click();
  await joinGame(bruno, pin, "ana", "lesson"); // the same nickname, other case: taken
  await expect(slot.getByTestId("play-error")).toContainText("ya tiene ese apodo");
  await joinGame(bruno, pin, "Bruno", "lesson");
  await expect(slot.getByTestId("play-lobby")).toBeVisible();
  await joinGame(carla, pin, "Carla");
  for (const p of players) await expect(p.getByTestId("play-lobby")).toBeVisible();
  await expect(page.getByTestId("host-lobby-player")).toHaveCount(3);
  await expect(page.getByTestId("host-player-count")).toHaveText("3 jugadores");

  await page.getByTestId("host-start").click();

  const given: Record<string, Given[]> = { Ana: [], Bruno: [], Carla: [] };
  const play = async (p: Page, who: string, g: Given, waitMs: number) => {
    if (waitMs) await p.waitForTimeout(waitMs);
    await answerWithKeys(p, g);
    given[who].push(g);
  };

  // ---- question 1 (the lesson's): the question shows alone first, then the answers ----
  await expect(page.getByTestId("host-screen")).toHaveAttribute("data-phase", "intro");
  await expect(page.getByTestId("live-prompt")).toHaveText(lessonQ.prompt);
  for (const p of players) await waitAnswering(p, 0);
  await expect(page.getByTestId("host-answer-count")).toHaveText("0 de 3 respondieron");
  await play(ana, "Ana", { q: 0, kind: "single", choice: lessonCorrect }, 0);
  await expect(page.getByTestId("host-answer-count")).toHaveText("1 de 3 respondieron");
  await play(carla, "Carla", { q: 0, kind: "single", choice: lessonWrong }, 300);
  await play(bruno, "Bruno", { q: 0, kind: "single", choice: lessonCorrect }, 1500);
  await expect(page.getByTestId("host-reveal")).toBeVisible();
  await expect(page.getByTestId("host-correct-share")).toHaveText("67 % correctas");
  await expect(page.getByTestId("host-bar").and(page.locator(`[data-key="${lessonCorrect}"]`))).toHaveAttribute("data-count", "2");
  await expect(page.getByTestId("host-explanation")).toHaveText(lessonQ.explanation!);
  await expect(ana.getByTestId("play-result")).toHaveAttribute("data-correct", "true");
  await expect(carla.getByTestId("play-result")).toHaveAttribute("data-correct", "false");
  await page.getByTestId("host-next").click();
  await expect(page.getByTestId("host-leaderboard")).toBeVisible();
  await expect(page.getByTestId("host-top-player")).toHaveCount(3);
  // The host screen reloads and the game goes on where it was.
  await page.reload();
  await expect(page.getByTestId("host-leaderboard")).toBeVisible();
  await expect(page.getByTestId("host-top-player")).toHaveCount(3);
  await page.getByTestId("host-next").click();

  // ---- question 2: Carla's page closes mid-question; she comes back and answers ----
  for (const p of players) await waitAnswering(p, 1);
  const carlaScore = (await carla.getByTestId("play-score").textContent())!;
  await carla.close();
  await expect(page.getByTestId("host-screen")).toContainText("2 de 3 conectados");
  const carlaAgain = await contexts[2].newPage();
  await carlaAgain.goto("/es/play");
  await expect(carlaAgain.getByTestId("play-me")).toHaveText("Carla");
  await expect(carlaAgain.getByTestId("play-score")).toHaveText(carlaScore);
  await waitAnswering(carlaAgain, 1);
  await expect(page.getByTestId("host-screen")).toContainText("3 de 3 conectados");
  await play(carlaAgain, "Carla", { q: 1, kind: "tf", value: true }, 0);
  await play(ana, "Ana", { q: 1, kind: "tf", value: true }, 0);
  await play(bruno, "Bruno", { q: 1, kind: "tf", value: false }, 800);
  await expect(page.getByTestId("host-reveal")).toBeVisible();
  await expect(bruno.getByTestId("play-result")).toHaveAttribute("data-correct", "false");
  await expect(carlaAgain.getByTestId("play-result")).toHaveAttribute("data-correct", "true");
  await page.getByTestId("host-next").click();
  await page.getByTestId("host-next").click();

  // ---- question 3: multiple select, points per correct option ----
  const all = [ana, bruno, carlaAgain];
  for (const p of all) await waitAnswering(p, 2);
  await play(ana, "Ana", { q: 2, kind: "multi", choices: [0, 2] }, 0);
  await play(bruno, "Bruno", { q: 2, kind: "multi", choices: [0] }, 200);
  await play(carlaAgain, "Carla", { q: 2, kind: "multi", choices: [0, 2] }, 1200);
  await expect(page.getByTestId("host-reveal")).toBeVisible();
  await expect(page.getByTestId("host-explanation")).toHaveText("Escalar con todo el dataset filtra información del test.");
  await page.getByTestId("host-next").click();
  await expect(page.getByTestId("host-leaderboard")).toBeVisible();
  await page.getByTestId("host-next").click();

  // ---- podium vs the formula over the recorded times ----
  await expect(page.getByTestId("host-podium")).toBeVisible();
  await expect(page.getByTestId("host-podium-place")).toHaveCount(3);
  const db = e2eDb();
  const rows = db
    .prepare(`SELECT p.nickname AS nickname, a.question AS question, a.ms AS ms, a.points AS points FROM "LiveAnswer" a JOIN "LivePlayer" p ON p.id = a.playerId WHERE a.gameId = ?`)
    .all(gameId) as { nickname: string; question: number; ms: number; points: number }[];
  db.close();
  expect(rows).toHaveLength(9);
  const expected = Object.entries(given)
    .map(([nickname, g]) => ({ nickname, score: expectedScore(g, new Map(rows.filter((r) => r.nickname === nickname).map((r) => [r.question, r.ms]))) }))
    .sort((a, b) => b.score - a.score);
  // Carla's streak and Ana's speed make the scores differ; the formula decides the order.
  expect(new Set(expected.map((e) => e.score)).size).toBe(3);
  const podium = await page.getByTestId("host-podium-place").evaluateAll((els) =>
    els.map((e) => ({ nickname: e.querySelector('[data-testid="host-podium-nickname"]')!.textContent!, score: Number(e.querySelector('[data-testid="host-podium-score"]')!.textContent) })),
  );
  expect(podium).toEqual(expected);
  await expect(page.getByTestId("host-ranking-row")).toHaveCount(3);
  // Each phone shows its own place and score.
  for (const [p, who] of [[ana, "Ana"], [bruno, "Bruno"], [carlaAgain, "Carla"]] as const) {
    const place = expected.findIndex((e) => e.nickname === who) + 1;
    await expect(p.getByTestId("play-final")).toContainText(`puesto ${place} de 3`);
    await expect(p.getByTestId("play-final")).toContainText(`${expected[place - 1].score} puntos`);
  }

  // ---- results: per player, per question, and the CSV ----
  await page.getByTestId("host-results-link").click();
  await expect(page.getByTestId("results-player")).toHaveCount(3);
  expect(await page.getByTestId("results-score").allTextContents()).toEqual(expected.map((e) => String(e.score)));
  expect(await page.getByTestId("results-share").allTextContents()).toEqual(["67 %", "67 %", "67 %"]);
  const csv = await page.request.get(`/api/quizzes/games/${gameId}/results.csv?locale=es`);
  expect(csv.status()).toBe(200);
  const lines = (await csv.text()).replace(/^\uFEFF/, "").trim().split("\r\n");
  expect(lines[0]).toBe("jugador;cuenta;puesto;puntaje total;pregunta;enunciado;respuesta;correcta;tiempo (s);puntos");
  expect(lines).toHaveLength(1 + 9);
  expect(lines.filter((l) => l.startsWith(`${expected[0].nickname};`)).every((l) => l.includes(`;1;${expected[0].score};`))).toBe(true);

  for (const ctx of contexts) await ctx.close();
});

test("a class plays a quiz set self-paced: server-timed answers, the class leaderboard, results and the gradebook", async ({ page, browser }) => {
  test.setTimeout(240_000);
  await signUp(page, { name: "Rita Docente", email: uniqueEmail("selfpaced"), password: "rita-password-1", role: "instructor" });
  await expectSignedInAs(page, "Rita Docente");
  await page.goto("/es/classes");
  await page.getByTestId("create-class-form").locator('input[name="className"]').fill("Jueves");
  await page.getByTestId("create-class-form").locator('button[type="submit"]').click();
  const classItem = page.getByTestId("class-item").filter({ hasText: "Jueves" });
  const code = (await classItem.getByTestId("class-code").textContent())!.trim();

  // A set of the imbalance lesson's first two questions (single choice, then multiple select).
  await page.goto("/es/quizzes");
  await typeInto(page, "new-set-title", "Tarea de desbalance");
  await page.keyboard.press("Enter");
  await page.getByTestId("lesson-pick").selectOption("imbalance/self-check");
  await page.getByTestId("lesson-question").nth(0).check();
  await page.getByTestId("lesson-question").nth(1).check();
  await page.getByTestId("lesson-add-chosen").click();
  await page.getByTestId("set-save").click();
  await expect(page.getByTestId("set-saved")).toBeVisible();
  await page.getByTestId("assign-class").selectOption({ label: "Jueves" });
  await page.getByTestId("assign-deadline").fill("2035-06-01T18:00");
  await page.getByTestId("assign-submit").click();
  await expect(page.getByTestId("assigned")).toBeVisible();

  const ctx = await browser.newContext({ locale: "es-AR" });
  const student = await ctx.newPage();
  await signUp(student, { name: "Sofía Paz", email: uniqueEmail("sofia"), password: "sofia-password-1", role: "student" });
  await expectSignedInAs(student, "Sofía Paz");
  await student.goto("/es/classes");
  await student.getByTestId("join-class-form").locator('input[name="joinCode"]').fill(code);
  await student.getByTestId("join-class-form").locator('button[type="submit"]').click();
  await student.getByTestId("class-item").filter({ hasText: "Jueves" }).getByRole("link").first().click();
  await expect(student.getByTestId("class-name")).toHaveText("Jueves");
  const classPath = new URL(student.url()).pathname;
  await student.getByTestId("class-quizzes-link").click();
  await student.getByTestId("class-assignment").getByRole("link", { name: "Tarea de desbalance" }).click();
  await expect(student.getByTestId("self-paced")).toHaveAttribute("data-status", "notStarted");
  await student.getByTestId("self-paced-start").click();

  // Question 1: the answers open after the intro; answered with a key.
  await expect(student.getByTestId("answer-0")).toBeVisible({ timeout: 10_000 });
  await student.waitForTimeout(700);
  await student.keyboard.press(String(lessonCorrect + 1));
  await expect(student.getByTestId("self-paced-result")).toHaveAttribute("data-correct", "true");
  await student.getByTestId("self-paced-next").click();
  // Question 2: multiple select, one of the two right options only → half the points, streak broken.
  await expect(student.getByTestId("answer-send")).toBeVisible({ timeout: 10_000 });
  await student.keyboard.press("1");
  await student.getByTestId("answer-send").focus();
  await student.keyboard.press("Enter");
  await expect(student.getByTestId("self-paced-result")).toHaveAttribute("data-correct", "false");
  await student.getByTestId("self-paced-next").click();
  await expect(student.getByTestId("self-paced")).toHaveAttribute("data-status", "finished");

  // The score is the formula over the times the server recorded.
  const db = e2eDb();
  const rows = db
    .prepare(`SELECT a.question AS question, a.ms AS ms, a.points AS points, t.score AS score FROM "QuizAttemptAnswer" a JOIN "QuizAttempt" t ON t.id = a.attemptId JOIN "user" u ON u.id = t.userId WHERE u.name = 'Sofía Paz' ORDER BY a.question`)
    .all() as { question: number; ms: number; points: number; score: number }[];
  db.close();
  expect(rows).toHaveLength(2);
  const base = (ms: number) => (ms < 500 ? 1000 : Math.round(1000 * (1 - ms / 20_000 / 2)));
  const expectedTotal = base(rows[0].ms) + Math.round(base(rows[1].ms) * 0.5);
  expect(rows[0].score).toBe(expectedTotal);
  await expect(student.getByTestId("self-paced-finished")).toContainText(`Obtuviste ${expectedTotal} de 2000`);
  await expect(student.getByTestId("self-paced-row")).toHaveText([new RegExp(`1\\. Sofía Paz.*${expectedTotal}`)]);

  // The instructor: results per student and a gradebook column.
  await page.getByTestId("assigned").getByRole("link").click();
  await page.getByTestId("class-assignment").getByRole("link", { name: "Tarea de desbalance" }).click();
  await expect(page.getByTestId("self-paced-results")).toContainText("Sofía Paz");
  await page.goto(`${classPath}/gradebook`);
  const column = page.locator('[data-testid="gradebook-item"][data-item^="quiz:a/"]');
  await expect(column).toContainText("Cuestionario: Tarea de desbalance");
  // Points over the most points, as a percentage with one decimal (es: decimal comma).
  const pct = String(Math.round((expectedTotal / 2000) * 1000) / 10).replace(".", ",");
  await expect(page.getByTestId("gradebook-row").filter({ hasText: "Sofía Paz" })).toContainText(pct);
  await ctx.close();
});
