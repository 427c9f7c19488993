"use client";
// Author mode's fields (a cell's form in one language, the lesson's meta) each belong to a form of
// their own, a DetachedForm (components/notebook/detached-form.tsx: why), named by the fields'
// `form` attribute: a form element around them would contain the code fields' text areas, which
// have their own form (components/notebook/draft-editor.tsx), and forms do not nest. The id of
// a cell's form reaches its fields through this context.
import { createContext, useContext } from "react";

const FieldFormContext = createContext<string | undefined>(undefined);

export const FieldFormProvider = FieldFormContext.Provider;

/** The id of the form the fields here belong to (their `form` attribute). */
export function useFieldForm(): string | undefined {
  return useContext(FieldFormContext);
}
