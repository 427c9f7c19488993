"use client";
// Author mode's fields (a cell's form in one language, the lesson's meta) each belong to a form of
// their own: Chrome's autofill, in a task after each change of a form control, reads every control
// of that control's form — for a control in no form, every control in no form on the page, buttons
// included (about 530 in a 60-cell lesson: 6–11 ms of main thread a key,
// bench/teach-editor.bench.mjs). The form is hidden and empty, named by the fields' `form`
// attribute: a form element around them would contain the code fields' text areas, which have
// their own form (components/notebook/draft-editor.tsx), and forms do not nest.
import { createContext, useContext } from "react";

const FieldFormContext = createContext<string | undefined>(undefined);

export const FieldFormProvider = FieldFormContext.Provider;

/** The id of the form the fields here belong to (their `form` attribute). */
export function useFieldForm(): string | undefined {
  return useContext(FieldFormContext);
}

/** The hidden, empty form named `id`; nothing submits it (Enter in a field would: it is stopped). */
export function FieldFormElement({ id }: { id: string }) {
  return <form id={id} hidden onSubmit={(e) => e.preventDefault()} />;
}
