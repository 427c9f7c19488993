import { describe, expect, it } from "vitest";
import { LessonMarkdownError, parseLessonMarkdown, toLessonMarkdown } from "@/lib/notebook/lesson-markdown";
import type { ExerciseCell, QuizCell } from "@/lib/notebook/types";

const LESSON = `# Fraude con 1%

Intro con $x^2$ y una tabla.

\`\`\`ts id=load-fraud
const fraud = await data.load("fraud");
fraud.rows.length
\`\`\`

Texto entre celdas.
+++
Otra celda de texto, con un ejemplo que no es celda:

\`\`\`ts
const ejemplo = 1;
\`\`\`

\`\`\`sql id=count-by-class
SELECT is_fraud, count(*) AS n FROM fraud GROUP BY is_fraud ORDER BY is_fraud
\`\`\`

Elegí un umbral.

~~~exercise id=pick-threshold
--- starter
// Elegí el umbral que minimiza el costo
const threshold = 0.5;
--- check
check(typeof threshold === "number", "threshold debe ser un número");
--- hint
Mirá la curva de costo.
--- hint
El costo de un falso negativo es 50 veces el de un falso positivo.
--- solution
const threshold = 0.1;
~~~

~~~quiz id=self-check
? ¿Qué métrica conviene con 1% de fraude?
- [ ] Accuracy
- [x] PR-AUC
> Accuracy premia al modelo que dice siempre "no fraude".
? Otra pregunta
- [x] a
- [X] b
- [ ] c
~~~

Cierre.
`;

describe("parseLessonMarkdown", () => {
  const doc = parseLessonMarkdown(LESSON, { locale: "es", lessonSlug: "fraud" });

  it("splits prose at fences and +++ and derives stable markdown ids", () => {
    expect(doc.cells.map((c) => `${c.kind}:${c.id}`)).toEqual([
      "markdown:md-load-fraud",
      "code:load-fraud",
      "markdown:md-count-by-class-2",
      "markdown:md-count-by-class",
      "sql:count-by-class",
      "markdown:md-pick-threshold",
      "exercise:pick-threshold",
      "quiz:self-check",
      "markdown:md-end",
    ]);
    expect(doc.metadata).toEqual({ title: "Fraude con 1%", locale: "es", lessonSlug: "fraud" });
    expect(doc.cells[1].source).toBe('const fraud = await data.load("fraud");\nfraud.rows.length');
    // An ordinary fenced block without id stays inside the prose.
    expect(doc.cells[3].source).toContain("```ts\nconst ejemplo = 1;\n```");
    expect(doc.cells[2].source).toBe("Texto entre celdas.");
  });

  it("parses exercises with starter as the initial source", () => {
    const ex = doc.cells[6] as ExerciseCell;
    expect(ex.source).toBe(ex.starter);
    expect(ex.starter).toBe("// Elegí el umbral que minimiza el costo\nconst threshold = 0.5;");
    expect(ex.check).toBe('check(typeof threshold === "number", "threshold debe ser un número");');
    expect(ex.hints).toEqual([
      "Mirá la curva de costo.",
      "El costo de un falso negativo es 50 veces el de un falso positivo.",
    ]);
    expect(ex.solution).toBe("const threshold = 0.1;");
    expect(ex.outputs).toEqual([]);
  });

  it("parses quizzes", () => {
    const q = doc.cells[7] as QuizCell;
    expect(q.questions).toHaveLength(2);
    expect(q.questions[0]).toEqual({
      prompt: "¿Qué métrica conviene con 1% de fraude?",
      options: [
        { text: "Accuracy", correct: false },
        { text: "PR-AUC", correct: true },
      ],
      explanation: 'Accuracy premia al modelo que dice siempre "no fraude".',
    });
    expect(q.questions[1].options.map((o) => o.correct)).toEqual([true, true, false]);
  });

  it("round-trips through toLessonMarkdown", () => {
    const again = parseLessonMarkdown(toLessonMarkdown(doc), { locale: "es", lessonSlug: "fraud" });
    expect(again).toEqual(doc);
    expect(toLessonMarkdown(again)).toBe(toLessonMarkdown(doc));
  });

  it("uses a longer fence when a source contains a fence", () => {
    const d = parseLessonMarkdown("````ts id=a\nconst s = `\n```\n`;\n````\n");
    expect(d.cells[0].source).toBe("const s = `\n```\n`;");
    expect(parseLessonMarkdown(toLessonMarkdown(d))).toEqual(d);
  });

  it("is stable for the same input (ids do not depend on randomness)", () => {
    expect(parseLessonMarkdown(LESSON)).toEqual(parseLessonMarkdown(LESSON));
  });
});

describe("parseLessonMarkdown errors", () => {
  const err = (text: string) => {
    try {
      parseLessonMarkdown(text);
    } catch (e) {
      expect(e).toBeInstanceOf(LessonMarkdownError);
      return e as LessonMarkdownError;
    }
    throw new Error("expected a LessonMarkdownError");
  };

  it("reports duplicate ids with both lines", () => {
    const e = err("```ts id=a\n1\n```\n\ntext\n\n```sql id=a\nSELECT 1\n```\n");
    expect(e.line).toBe(7);
    expect(e.message).toMatch(/line 7: duplicate cell id "a" \(first used on line 1\)/);
  });

  it("reports unknown kinds", () => {
    const e = err("hello\n\n```python id=py\nprint(1)\n```\n");
    expect(e.line).toBe(3);
    expect(e.message).toMatch(/unknown cell kind "python"/);
    expect(err("~~~poll id=x\n~~~\n").message).toMatch(/unknown cell kind "poll"/);
  });

  it("reports missing exercise sections", () => {
    const e = err("intro\n\n~~~exercise id=ex\n--- starter\nlet a = 1;\n--- solution\nlet a = 2;\n~~~\n");
    expect(e.line).toBe(3);
    expect(e.message).toMatch(/missing its "--- check" section/);
    expect(err("~~~exercise id=ex\n--- starter\n--- stater\n~~~").message).toMatch(/line 3: unknown exercise section/);
    expect(err("~~~exercise id=ex\ncode\n--- starter\n~~~").message).toMatch(/line 2: .*must start with/);
  });

  it("reports missing ids, bad ids, unclosed fences and bad quizzes", () => {
    expect(err("~~~exercise\n--- starter\n~~~").message).toMatch(/line 1: exercise cell needs an id/);
    expect(err("```ts id=Bad_Id\n1\n```").message).toMatch(/kebab-case/);
    expect(err("a\n```ts id=x\n1\n").message).toMatch(/line 2: ts cell is never closed/);
    expect(err("~~~quiz id=q\n? p\n- [ ] a\n- [ ] b\n~~~").message).toMatch(/line 2: .*mark at least one option/);
    expect(err("~~~quiz id=q\n? p\n- [x] a\n- [ ] b\nstray\n~~~").message).toMatch(/line 5: .*expected/);
    expect(err("```ts id=x hidden\n1\n```").message).toMatch(/unknown attribute "hidden"/);
  });
});

describe("prose cells with their own ids (+++ id=…)", () => {
  it("keeps ids that are not the derived ones through a round trip, and writes no marker for derived ids", () => {
    const doc = parseLessonMarkdown("Intro\n\n```ts id=a\n1\n```\n\nEnd\n");
    expect(toLessonMarkdown(doc)).not.toContain("+++");
    const renamed = {
      ...doc,
      cells: [
        { ...doc.cells[0], id: "c-0a1b2c" },
        doc.cells[1],
        { ...doc.cells[2], id: "c-ffee00" },
        { id: "md-end", kind: "markdown", source: "After" },
      ],
    } as typeof doc;
    const text = toLessonMarkdown(renamed);
    expect(text).toContain("+++ id=c-0a1b2c\n\nIntro");
    expect(text).toContain("+++ id=c-ffee00\n\nEnd\n\n+++ id=md-end\n\nAfter");
    const back = parseLessonMarkdown(text);
    expect(back.cells.map((c) => c.id)).toEqual(["c-0a1b2c", "a", "c-ffee00", "md-end"]);
    expect(back.cells.map((c) => c.source)).toEqual(["Intro", "1", "End", "After"]);
  });

  it("refuses a marker with no prose after it, a duplicate id and a malformed id", () => {
    const err = (text: string) => {
      try {
        parseLessonMarkdown(text);
      } catch (e) {
        return e as LessonMarkdownError;
      }
      throw new Error("parsed");
    };
    expect(err("+++ id=x\n\n```ts id=a\n1\n```").message).toMatch(/line 1: .*not followed by prose/);
    expect(err("Intro\n+++ id=x").message).toMatch(/line 2: .*not followed by prose/);
    expect(err("+++ id=a\nProse\n\n```ts id=a\n1\n```").message).toMatch(/duplicate cell id "a"/);
    expect(err("+++ id=Bad_Id\nProse").message).toMatch(/kebab-case/);
  });
});

describe("quiz questions' live settings (@ time=… points=…)", () => {
  it("reads and writes a question's time limit and points, and refuses values live play does not take", () => {
    const doc = parseLessonMarkdown("~~~quiz id=q\n? ¿Uno?\n@ time=30 points=2000\n- [x] sí\n- [ ] no\n? ¿Dos?\n- [x] a\n- [ ] b\n~~~\n");
    const quiz = doc.cells[0] as QuizCell;
    expect(quiz.questions[0]).toMatchObject({ timeLimitSec: 30, points: 2000 });
    expect(quiz.questions[1]!.timeLimitSec).toBeUndefined();
    expect(parseLessonMarkdown(toLessonMarkdown(doc)).cells).toEqual(doc.cells);
    expect(() => parseLessonMarkdown("~~~quiz id=q\n? p\n@ time=3\n- [x] a\n- [ ] b\n~~~")).toThrow(/line 3: .*time=<5–240>/);
    expect(() => parseLessonMarkdown("~~~quiz id=q\n? p\n@ points=500\n- [x] a\n- [ ] b\n~~~")).toThrow(/points=<0\|1000\|2000>/);
  });
});
