// Results of a game or self-paced assignment as text: a player's answer in words, and the CSV
// (one row per player and question: what they answered, right or not, time and points), in the
// spreadsheet dialect of the instructor's language. Pure.
import { toCsv, type CsvCell, type CsvLocale } from "@/lib/gradebook/csv";
import { answerSchema, type Question } from "@/lib/live/questions";

const WORDS = {
  es: { true: "Verdadero", false: "Falso", none: "(sin respuesta)", header: ["jugador", "cuenta", "puesto", "puntaje total", "pregunta", "enunciado", "respuesta", "correcta", "tiempo (s)", "puntos"], yes: "sí", no: "no" },
  en: { true: "True", false: "False", none: "(no answer)", header: ["player", "account", "rank", "total score", "question", "prompt", "answer", "correct", "time (s)", "points"], yes: "yes", no: "no" },
} as const;

/** A stored answer in words against its question ("B. F1", "A · C", "0.8", "Partir → Ajustar"). */
export function describeAnswer(q: Question, raw: unknown, locale: CsvLocale): string {
  const w = WORDS[locale];
  if (raw === null || raw === undefined) return w.none;
  const parsed = answerSchema.safeParse(raw);
  if (!parsed.success) return "?";
  const a = parsed.data;
  const opt = (i: number) => ("options" in q && q.options[i] !== undefined ? `${String.fromCharCode(65 + i)}. ${q.options[i]}` : `#${i + 1}`);
  switch (a.type) {
    case "single":
    case "poll":
      return opt(a.choice);
    case "multi":
      return a.choices.map(opt).join(" · ");
    case "truefalse":
      return a.value ? w.true : w.false;
    case "numeric":
      return String(a.value);
    case "text":
      return a.text;
    case "order":
      return a.order.map((i) => (q.type === "order" ? (q.items[i] ?? `#${i + 1}`) : `#${i + 1}`)).join(" → ");
  }
}

export interface ResultsPlayer {
  nickname: string;
  /** The account's name and email when the player was signed in. */
  account: string | null;
  rank: number;
  score: number;
  answers: { q: number; answer: unknown; timeMs: number; correct: boolean; points: number }[];
}

export function resultsCsv(questions: readonly Question[], players: readonly ResultsPlayer[], locale: CsvLocale): string {
  const w = WORDS[locale];
  const rows: CsvCell[][] = [];
  for (const p of players) {
    questions.forEach((q, i) => {
      const a = p.answers.find((x) => x.q === i);
      rows.push([
        { text: p.nickname },
        { text: p.account ?? "" },
        { number: p.rank },
        { number: p.score },
        { number: i + 1 },
        { text: q.prompt },
        { text: a ? describeAnswer(q, a.answer, locale) : w.none },
        { text: a ? (a.correct ? w.yes : w.no) : "" },
        { number: a ? a.timeMs / 1000 : null },
        { number: a ? a.points : 0 },
      ]);
    });
  }
  return toCsv(w.header, rows, locale);
}

