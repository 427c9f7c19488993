// Why a prediction file, a challenge upload or a submission is refused: a stable code the page
// translates (messages `challenges.errors.<code>` with these params) and an English message for
// logs, tests and clients without the translations.

export type ChallengeProblemCode =
  // predictions
  | "empty"
  | "tooLarge"
  | "wrongLength"
  | "unknownId"
  | "duplicateId"
  | "missingValue"
  | "notANumber"
  | "notFinite"
  | "text"
  | "badHeader"
  | "badCsv"
  | "badRow"
  | "notBinary"
  | "outOfRange"
  // submitting
  | "dailyLimit"
  | "closed"
  | "instructorCannotSubmit"
  | "tooManyFinals"
  // creating a challenge
  | "unknownTemplate"
  | "badTimeZone"
  | "noTargetColumn"
  | "noIdColumn"
  | "idNotUnique"
  | "missingTarget"
  | "targetNotNumeric"
  | "positiveLabelMissing"
  | "positiveLabelUnknown"
  | "tooFewRows"
  | "oneClassPart"
  | "tooManyRows"
  | "tooManyColumns"
  | "deadlineInPast";

export type ProblemParams = Record<string, string | number>;

export class ChallengeProblem extends Error {
  constructor(
    readonly code: ChallengeProblemCode,
    message: string,
    readonly params: ProblemParams = {},
  ) {
    super(message);
    this.name = "ChallengeProblem";
  }
}

export const isChallengeProblem = (e: unknown): e is ChallengeProblem => e instanceof ChallengeProblem;

/** A user-supplied value as it may appear in a message: short, on one line. */
export function quote(value: unknown, max = 40): string {
  const s = String(value).replace(/[\r\n\t]+/g, " ");
  return s.length > max ? `${s.slice(0, max)}…` : s;
}
