"use client";
// A hidden, empty form that fields join by their `form` attribute (not by being inside it):
// Chrome's autofill, in a task after each change of a form control, reads every control of that
// control's form — for a control in no form, every control in no form on the page, buttons
// included (about 530 in a 60-cell lesson's author mode: 6–11 ms of main thread a key,
// bench/teach-editor.bench.mjs). Nothing submits it (Enter in a field would: it is stopped).

export function DetachedForm({ id }: { id: string }) {
  return <form id={id} hidden onSubmit={(e) => e.preventDefault()} />;
}
