// Decodes the digits files (uint8 pixels + uint8 labels, see content/datasets/README.md).

import type { ImageDataset } from "./types";

export interface DecodeImagesArgs {
  name: string;
  height: number;
  width: number;
  /** count*height*width bytes, row-major, 0 = background, 255 = ink. */
  pixels: Uint8Array;
  /** count bytes, one class per image. */
  labels: Uint8Array;
}

export function decodeImages({ name, height, width, pixels, labels }: DecodeImagesArgs): ImageDataset {
  const size = height * width;
  const count = labels.length;
  if (pixels.length !== count * size) {
    throw new Error(
      `Dataset "${name}": ${pixels.length} pixel bytes do not make ${count} images of ${height}×${width}`,
    );
  }
  const images = new Float32Array(pixels.length);
  for (let i = 0; i < pixels.length; i++) images[i] = pixels[i] / 255;
  return { kind: "images", name, count, height, width, images, labels: Int32Array.from(labels) };
}
