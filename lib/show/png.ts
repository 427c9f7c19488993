// A small synchronous PNG encoder (8-bit grey, RGB or RGBA) with its own deflate (LZ77 +
// fixed Huffman codes): no compression library and no async CompressionStream, so it runs the
// same in a Web Worker, the browser and Node. Outputs are saved with the notebook, and digit
// grids (mostly black) shrink ~10× this way.

let crcTable: Uint32Array | null = null;

function crc32(bytes: Uint8Array, start = 0, end = bytes.length): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (let i = start; i < end; i++) c = crcTable[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function adler32(bytes: Uint8Array): number {
  let a = 1;
  let b = 0;
  for (let i = 0; i < bytes.length; ) {
    const end = Math.min(bytes.length, i + 5552); // largest run before the sums can overflow
    for (; i < end; i++) {
      a += bytes[i];
      b += a;
    }
    a %= 65521;
    b %= 65521;
  }
  return ((b << 16) | a) >>> 0;
}

/** zlib stream of stored (uncompressed) deflate blocks. */
export function zlibStored(data: Uint8Array): Uint8Array {
  const blocks = Math.max(1, Math.ceil(data.length / 65535));
  const out = new Uint8Array(2 + blocks * 5 + data.length + 4);
  out[0] = 0x78;
  out[1] = 0x01;
  let o = 2;
  for (let b = 0; b < blocks; b++) {
    const start = b * 65535;
    const len = Math.min(65535, data.length - start);
    out[o++] = b === blocks - 1 ? 1 : 0;
    out[o++] = len & 0xff;
    out[o++] = len >>> 8;
    out[o++] = ~len & 0xff;
    out[o++] = (~len >>> 8) & 0xff;
    out.set(data.subarray(start, start + len), o);
    o += len;
  }
  const ad = adler32(data);
  out[o++] = ad >>> 24;
  out[o++] = (ad >>> 16) & 0xff;
  out[o++] = (ad >>> 8) & 0xff;
  out[o++] = ad & 0xff;
  return out;
}

const LEN_BASE = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258];
const LEN_EXTRA = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
const DIST_BASE = [
  1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145,
  8193, 12289, 16385, 24577,
];
const DIST_EXTRA = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];

class BitWriter {
  buf: Uint8Array;
  pos = 0;
  private acc = 0;
  private n = 0;
  constructor(size: number) {
    this.buf = new Uint8Array(size);
  }
  /** Writes `len` bits of `value`, least significant first (deflate's order for data). */
  bits(value: number, len: number) {
    this.acc |= value << this.n;
    this.n += len;
    while (this.n >= 8) {
      if (this.pos >= this.buf.length) {
        const bigger = new Uint8Array(this.buf.length * 2);
        bigger.set(this.buf);
        this.buf = bigger;
      }
      this.buf[this.pos++] = this.acc & 0xff;
      this.acc >>>= 8;
      this.n -= 8;
    }
  }
  /** Huffman codes go most significant bit first. */
  code(code: number, len: number) {
    let r = 0;
    for (let i = 0; i < len; i++) r = (r << 1) | ((code >>> i) & 1);
    this.bits(r, len);
  }
  finish(): Uint8Array {
    if (this.n > 0) this.bits(0, 8 - this.n);
    return this.buf.subarray(0, this.pos);
  }
}

function writeLiteral(w: BitWriter, v: number) {
  if (v < 144) w.code(0x30 + v, 8);
  else if (v < 256) w.code(0x190 + v - 144, 9);
  else if (v < 280) w.code(v - 256, 7);
  else w.code(0xc0 + v - 280, 8);
}

/** Raw deflate, one fixed-Huffman block, greedy LZ77 over a 32 KiB window with hash chains. */
export function deflateFixed(data: Uint8Array): Uint8Array {
  const w = new BitWriter(Math.ceil(data.length * 1.13) + 64);
  w.bits(1, 1); // BFINAL
  w.bits(1, 2); // BTYPE = 01, fixed codes
  const WINDOW = 32768;
  const HASH = 1 << 15;
  const head = new Int32Array(HASH).fill(-1);
  const prev = new Int32Array(WINDOW);
  const hash = (i: number) => ((data[i] << 10) ^ (data[i + 1] << 5) ^ data[i + 2]) & (HASH - 1);
  const insert = (i: number) => {
    if (i + 2 >= data.length) return;
    const h = hash(i);
    prev[i & (WINDOW - 1)] = head[h];
    head[h] = i;
  };
  let i = 0;
  while (i < data.length) {
    let bestLen = 0;
    let bestDist = 0;
    if (i + 2 < data.length) {
      let cand = head[hash(i)];
      const maxLen = Math.min(258, data.length - i);
      for (let chain = 0; cand >= 0 && i - cand <= WINDOW - 1 && chain < 48; chain++) {
        if (data[cand + bestLen] === data[i + bestLen]) {
          let len = 0;
          while (len < maxLen && data[cand + len] === data[i + len]) len++;
          if (len > bestLen) {
            bestLen = len;
            bestDist = i - cand;
            if (len === maxLen) break;
          }
        }
        const next = prev[cand & (WINDOW - 1)];
        if (next >= cand) break; // the slot was overwritten by a newer position
        cand = next;
      }
    }
    if (bestLen >= 3) {
      let lc = 0;
      while (lc < 28 && LEN_BASE[lc + 1] <= bestLen) lc++;
      writeLiteral(w, 257 + lc);
      if (LEN_EXTRA[lc]) w.bits(bestLen - LEN_BASE[lc], LEN_EXTRA[lc]);
      let dc = 0;
      while (dc < 29 && DIST_BASE[dc + 1] <= bestDist) dc++;
      w.code(dc, 5);
      if (DIST_EXTRA[dc]) w.bits(bestDist - DIST_BASE[dc], DIST_EXTRA[dc]);
      for (let k = 0; k < bestLen; k++) insert(i + k);
      i += bestLen;
    } else {
      writeLiteral(w, data[i]);
      insert(i);
      i++;
    }
  }
  writeLiteral(w, 256); // end of block
  return w.finish();
}

/** zlib stream (RFC 1950) around deflateFixed, or stored blocks when that is smaller. */
export function zlibDeflate(data: Uint8Array): Uint8Array {
  const body = deflateFixed(data);
  if (body.length > data.length + 5 * Math.ceil(data.length / 65535)) return zlibStored(data);
  const out = new Uint8Array(2 + body.length + 4);
  out[0] = 0x78;
  out[1] = 0x01;
  out.set(body, 2);
  const ad = adler32(data);
  out[out.length - 4] = ad >>> 24;
  out[out.length - 3] = (ad >>> 16) & 0xff;
  out[out.length - 2] = (ad >>> 8) & 0xff;
  out[out.length - 1] = ad & 0xff;
  return out;
}

export interface RawImage {
  width: number;
  height: number;
  /** 1 = grey, 3 = RGB, 4 = RGBA; row-major, 8-bit samples. */
  channels: 1 | 3 | 4;
  data: Uint8Array;
}

export const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

export function encodePng(img: RawImage): Uint8Array {
  const { width, height, channels, data } = img;
  if (!(width > 0 && height > 0) || !Number.isInteger(width) || !Number.isInteger(height)) {
    throw new RangeError(`PNG size must be positive integers, got ${width}×${height}`);
  }
  if (data.length !== width * height * channels) {
    throw new RangeError(`PNG data has ${data.length} bytes, expected ${width * height * channels}`);
  }
  const stride = width * channels;
  const raw = new Uint8Array(height * (stride + 1)); // each row: filter byte 0 (None) + samples
  for (let y = 0; y < height; y++) raw.set(data.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  const idat = zlibDeflate(raw);
  const ihdr = new Uint8Array(13);
  const dv = new DataView(ihdr.buffer);
  dv.setUint32(0, width);
  dv.setUint32(4, height);
  ihdr[8] = 8; // bit depth
  ihdr[9] = channels === 1 ? 0 : channels === 3 ? 2 : 6; // colour type
  // compression, filter, interlace: all 0
  const chunks: [string, Uint8Array][] = [
    ["IHDR", ihdr],
    ["IDAT", idat],
    ["IEND", new Uint8Array(0)],
  ];
  const total = 8 + chunks.reduce((n, [, d]) => n + 12 + d.length, 0);
  const out = new Uint8Array(total);
  out.set(PNG_SIGNATURE, 0);
  const odv = new DataView(out.buffer);
  let o = 8;
  for (const [type, d] of chunks) {
    odv.setUint32(o, d.length);
    for (let k = 0; k < 4; k++) out[o + 4 + k] = type.charCodeAt(k);
    out.set(d, o + 8);
    odv.setUint32(o + 8 + d.length, crc32(out, o + 4, o + 8 + d.length));
    o += 12 + d.length;
  }
  return out;
}

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

export function toBase64(bytes: Uint8Array): string {
  let s = "";
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    s += B64[n >>> 18] + B64[(n >>> 12) & 63] + B64[(n >>> 6) & 63] + B64[n & 63];
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i] << 16;
    s += B64[n >>> 18] + B64[(n >>> 12) & 63] + "==";
  } else if (rest === 2) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8);
    s += B64[n >>> 18] + B64[(n >>> 12) & 63] + B64[(n >>> 6) & 63] + "=";
  }
  return s;
}
