// Dense tensors to and from JSON as TF Serving writes and reads them (tensorflow/serving
// tensorflow_serving/util/json_tensor.cc: GetDenseTensorShape, FillTensorProto, AddValueToTensor,
// AddTensorValues). Walks use explicit stacks; callers bound the nesting first (json-body.ts).
import { invalidArgument } from "./errors";
import { jsonDebugString, jsonTypeString } from "./json-body";
import type { TfDtype } from "./model";

export interface DenseTensor {
  shape: number[];
  /** Row-major values. */
  values: number[];
}

/** DataTypeString (tensorflow/core/framework/types.cc) for the types served here. */
export function dataTypeString(dtype: TfDtype): string {
  switch (dtype) {
    case "DT_FLOAT":
      return "float";
    case "DT_DOUBLE":
      return "double";
    case "DT_INT32":
      return "int32";
    case "DT_INT64":
      return "int64";
  }
}

/** `[2,3]` as ShapeToString prints a shape. */
export function shapeString(shape: readonly number[]): string {
  return `[${shape.join(",")}]`;
}

/** GetDenseTensorShape: the sizes met following the first element of each list. */
export function denseShapeOf(value: unknown): number[] {
  const shape: number[] = [];
  let v = value;
  while (Array.isArray(v)) {
    shape.push(v.length);
    if (v.length === 0) break;
    v = v[0];
  }
  return shape;
}

function typeError(v: unknown, dtype: TfDtype) {
  return invalidArgument(`JSON Value: ${jsonDebugString(v)} Type: ${jsonTypeString(v)} is not of expected type: ${dataTypeString(dtype)}`);
}

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

/** AddValueToTensor for one leaf; non-finite numbers are refused (TF Serving would take them). */
function leafValueOrThrow(v: unknown, dtype: TfDtype): number {
  if (typeof v !== "number") throw typeError(v, dtype);
  switch (dtype) {
    case "DT_FLOAT":
    case "DT_DOUBLE":
      if (!Number.isFinite(v)) throw invalidArgument(`JSON Value: ${jsonDebugString(v)} Type: Number is not a finite number (expected type: ${dataTypeString(dtype)})`);
      return v;
    case "DT_INT32":
      if (!Number.isInteger(v) || v < INT32_MIN || v > INT32_MAX) throw typeError(v, dtype);
      return v;
    case "DT_INT64":
      if (!Number.isSafeInteger(v)) throw typeError(v, dtype);
      return v;
  }
}

/**
 * A JSON value as a dense tensor of `dtype` (FillTensorProto): its shape read from the first
 * elements, then every list checked to have that size at its level and every leaf to be at the
 * last level, in document order, with TF Serving's messages.
 */
export function decodeDenseTensorOrThrow(value: unknown, dtype: TfDtype): DenseTensor {
  const shape = denseShapeOf(value);
  const rank = shape.length;
  const values: number[] = [];
  if (!Array.isArray(value)) {
    values.push(leafValueOrThrow(value, dtype));
    return { shape, values };
  }
  // Frames: a list being walked, the next index, its level.
  const lists: unknown[][] = [value];
  const next: number[] = [0];
  if (value.length !== shape[0]) throw invalidArgument(`Encountered list at unexpected size: ${value.length} at level: 0 expected size: ${shape[0]}`);
  while (lists.length) {
    const top = lists.length - 1;
    const list = lists[top];
    const i = next[top];
    if (i === list.length) {
      lists.pop();
      next.pop();
      continue;
    }
    next[top] = i + 1;
    const v = list[i];
    const level = top + 1;
    if (!Array.isArray(v)) {
      if (level !== rank) throw invalidArgument(`JSON Value: ${jsonDebugString(v)} found at incorrect level: ${level + 1} in the JSON DOM. Expected at level: ${rank}`);
      values.push(leafValueOrThrow(v, dtype));
      continue;
    }
    if (level >= rank) throw invalidArgument(`Encountered list at unexpected level: ${level} expected < ${rank}`);
    if (v.length !== shape[level]) throw invalidArgument(`Encountered list at unexpected size: ${v.length} at level: ${level} expected size: ${shape[level]}`);
    lists.push(v);
    next.push(0);
  }
  return { shape, values };
}

/** Row-major values as nested lists of `shape` (AddTensorValues); a scalar for an empty shape. */
export function nestValues(values: ArrayLike<number>, shape: readonly number[], offset = 0): unknown {
  if (shape.length === 0) return values[offset];
  const rank = shape.length;
  const root: unknown[] = [];
  // Frames: the list being filled and its level; `pos` walks the values.
  const lists: unknown[][] = [root];
  const counts: number[] = [0];
  let pos = offset;
  while (lists.length) {
    const top = lists.length - 1;
    if (counts[top] === shape[top]) {
      lists.pop();
      counts.pop();
      continue;
    }
    counts[top]++;
    if (top === rank - 1) {
      lists[top].push(values[pos++]);
    } else {
      const child: unknown[] = [];
      lists[top].push(child);
      lists.push(child);
      counts.push(0);
    }
  }
  return root;
}
