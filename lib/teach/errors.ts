// Why an authored lesson (a file, a zip, a notebook, a draft) was refused. `key` names a message
// under the "teach" namespace (errors.<key>), `params` fill it: the UI says it in the
// instructor's language; `message` is the same in English for logs and API callers.
export type LessonProblemKey =
  | "zipMalformed"
  | "zipTooLarge"
  | "zipMissingFile"
  | "zipUnexpectedFile"
  | "metaNotJson"
  | "metaInvalid"
  | "duplicateId"
  | "unknownKind"
  | "lessonFile"
  | "languagesDiffer"
  | "noLanguage"
  | "ipynbMalformed"
  | "tooLarge"
  | "draftInvalid"
  | "gradingTolerance"
  | "gradingFunctionName"
  | "gradingValueNames"
  | "csvTooLarge"
  | "csvRagged"
  | "csvEmpty"
  | "csvNotText"
  | "csvHeader"
  | "datasetName"
  | "imageInvalid";

export class LessonImportError extends Error {
  constructor(
    readonly key: LessonProblemKey,
    message: string,
    readonly params: Record<string, string | number> = {},
  ) {
    super(message);
    this.name = "LessonImportError";
  }
}
