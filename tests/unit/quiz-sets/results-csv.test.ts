// Results in words and as CSV: each answer kind described against its question, the spreadsheet
// dialect per language, no formula injection from a player's nickname or typed answer.
import { describe, expect, it } from "vitest";
import { questionSchema, type Question } from "@/lib/live/questions";
import { describeAnswer, resultsCsv } from "@/lib/quiz-sets/results-csv";

const q = (input: unknown): Question => questionSchema.parse(input);
const single = q({ type: "single", prompt: "¿Cuál?", options: ["Accuracy", "F1"], correct: 1 });
const multi = q({ type: "multi", prompt: "¿Cuáles?", options: ["a", "b", "c"], correct: [0, 2] });
const order = q({ type: "order", prompt: "Ordená", items: ["Partir", "Ajustar", "Evaluar"] });
const tf = q({ type: "truefalse", prompt: "¿Sí?", correct: true });
const num = q({ type: "numeric", prompt: "Recall", answer: 0.8, tolerance: 0.01 });
const text = q({ type: "text", prompt: "Curva", accepted: ["PR"] });

describe("describeAnswer", () => {
  it("says each kind of answer in words", () => {
    expect(describeAnswer(single, { type: "single", choice: 1 }, "es")).toBe("B. F1");
    expect(describeAnswer(multi, { type: "multi", choices: [0, 2] }, "en")).toBe("A. a · C. c");
    expect(describeAnswer(order, { type: "order", order: [2, 0, 1] }, "es")).toBe("Evaluar → Partir → Ajustar");
    expect(describeAnswer(tf, { type: "truefalse", value: false }, "es")).toBe("Falso");
    expect(describeAnswer(tf, { type: "truefalse", value: true }, "en")).toBe("True");
    expect(describeAnswer(num, { type: "numeric", value: 0.79 }, "en")).toBe("0.79");
    expect(describeAnswer(text, { type: "text", text: "curva pr" }, "en")).toBe("curva pr");
    expect(describeAnswer(single, null, "es")).toBe("(sin respuesta)");
    expect(describeAnswer(single, { type: "single", choice: "x" }, "en")).toBe("?");
  });
});

describe("resultsCsv", () => {
  it("one row per player and question, in the language's dialect, formulas neutralised", () => {
    const csv = resultsCsv(
      [single, num],
      [
        { nickname: "=HYPERLINK(1)", account: null, rank: 1, score: 1950, answers: [{ q: 0, answer: { type: "single", choice: 1 }, timeMs: 1234, correct: true, points: 950 }, { q: 1, answer: { type: "numeric", value: 0.8 }, timeMs: 500, correct: true, points: 1000 }] },
        { nickname: "Bea", account: "Bea Ruiz <bea@x>", rank: 2, score: 0, answers: [] },
      ],
      "es",
    );
    const lines = csv.replace(/^\uFEFF/, "").trim().split("\r\n");
    expect(lines[0]).toBe("jugador;cuenta;puesto;puntaje total;pregunta;enunciado;respuesta;correcta;tiempo (s);puntos");
    expect(lines[1]).toBe("'=HYPERLINK(1);;1;1950;1;¿Cuál?;B. F1;sí;1,23;950");
    expect(lines[2]).toBe("'=HYPERLINK(1);;1;1950;2;Recall;0.8;sí;0,5;1000");
    expect(lines[3]).toBe("Bea;Bea Ruiz <bea@x>;2;0;1;¿Cuál?;(sin respuesta);;;0");
    expect(lines).toHaveLength(5);
    expect(csv.startsWith("\uFEFF")).toBe(true);
  });
});
