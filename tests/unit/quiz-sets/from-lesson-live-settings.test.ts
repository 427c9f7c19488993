import { describe, expect, it } from "vitest";
import { parseLessonMarkdown } from "@/lib/notebook/lesson-markdown";
import type { QuizCell } from "@/lib/notebook/types";
import { lessonQuestionToLive } from "@/lib/quiz-sets/from-lesson";

describe("a lesson question's own live settings", () => {
  it("plays with the time and points the lesson gives it, else the defaults", () => {
    const quiz = parseLessonMarkdown("~~~quiz id=q\n? ¿Uno?\n@ time=45 points=2000\n- [x] a\n- [ ] b\n? ¿Dos?\n- [x] a\n- [ ] b\n~~~\n").cells[0] as QuizCell;
    expect(lessonQuestionToLive(quiz.questions[0]!, { timeLimitSec: 10 })).toMatchObject({ timeLimitSec: 45, points: 2000 });
    expect(lessonQuestionToLive(quiz.questions[1]!, { timeLimitSec: 10 })).toMatchObject({ timeLimitSec: 10, points: 1000 });
    expect(lessonQuestionToLive(quiz.questions[1]!)).toMatchObject({ timeLimitSec: 20, points: 1000 });
  });
});
