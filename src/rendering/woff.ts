import { inflateSync } from "node:zlib";

/**
 * Just enough of a WOFF 1.0 reader to answer two questions about a font file without a font
 * library: which code points it has glyphs for (cmap) and how wide each glyph is (hmtx). The
 * glyph-coverage check and the text fitting use it; satori and react-pdf parse the fonts themselves.
 * (fontkit, which react-pdf brings along, could do this too, but it is not our dependency to import.)
 */
export type FontMetrics = {
  /** Code point → glyph id. */
  glyphs: Map<number, number>;
  /** Advance width per glyph id, in font units. */
  advances: Uint16Array;
  unitsPerEm: number;
};

const WOFF_SIGNATURE = 0x774f4646; // "wOFF"

function readTables(data: Buffer): Map<string, Buffer> {
  if (data.readUInt32BE(0) !== WOFF_SIGNATURE) throw new Error("Not a WOFF 1.0 file (WOFF2 is not supported here)");
  const count = data.readUInt16BE(12);
  const tables = new Map<string, Buffer>();
  for (let index = 0; index < count; index++) {
    const entry = 44 + index * 20;
    const tag = data.toString("latin1", entry, entry + 4);
    const offset = data.readUInt32BE(entry + 4);
    const compressed = data.readUInt32BE(entry + 8);
    const original = data.readUInt32BE(entry + 12);
    const raw = data.subarray(offset, offset + compressed);
    tables.set(tag, compressed < original ? inflateSync(raw) : raw);
  }
  return tables;
}

function table(tables: Map<string, Buffer>, tag: string): Buffer {
  const found = tables.get(tag);
  if (!found) throw new Error(`The font has no "${tag}" table`);
  return found;
}

/** Format 12 (full Unicode, groups of consecutive code points). */
function readFormat12(cmap: Buffer, at: number, glyphs: Map<number, number>): void {
  const groups = cmap.readUInt32BE(at + 12);
  for (let group = 0; group < groups; group++) {
    const base = at + 16 + group * 12;
    const start = cmap.readUInt32BE(base);
    const end = cmap.readUInt32BE(base + 4);
    const glyph = cmap.readUInt32BE(base + 8);
    for (let code = start; code <= end; code++) glyphs.set(code, glyph + code - start);
  }
}

/** Format 4 (the Basic Multilingual Plane, segments with deltas or a glyph array). */
function readFormat4(cmap: Buffer, at: number, glyphs: Map<number, number>): void {
  const segments = cmap.readUInt16BE(at + 6) / 2;
  const ends = at + 14;
  const starts = ends + segments * 2 + 2;
  const deltas = starts + segments * 2;
  const rangeOffsets = deltas + segments * 2;
  for (let segment = 0; segment < segments; segment++) {
    const end = cmap.readUInt16BE(ends + segment * 2);
    const start = cmap.readUInt16BE(starts + segment * 2);
    const delta = cmap.readInt16BE(deltas + segment * 2);
    const rangeAt = rangeOffsets + segment * 2;
    const rangeOffset = cmap.readUInt16BE(rangeAt);
    for (let code = start; code <= end && code !== 0xffff; code++) {
      let glyph: number;
      if (rangeOffset === 0) glyph = (code + delta) & 0xffff;
      else {
        const raw = cmap.readUInt16BE(rangeAt + rangeOffset + (code - start) * 2);
        glyph = raw === 0 ? 0 : (raw + delta) & 0xffff;
      }
      if (glyph !== 0) glyphs.set(code, glyph);
    }
  }
}

function readCmap(cmap: Buffer): Map<number, number> {
  const glyphs = new Map<number, number>();
  const records = cmap.readUInt16BE(2);
  let format4: number | undefined;
  for (let record = 0; record < records; record++) {
    const offset = cmap.readUInt32BE(4 + record * 8 + 4);
    const format = cmap.readUInt16BE(offset);
    if (format === 12) {
      readFormat12(cmap, offset, glyphs);
      return glyphs;
    }
    if (format === 4) format4 ??= offset;
  }
  if (format4 === undefined) throw new Error("The font has no Unicode cmap (format 4 or 12)");
  readFormat4(cmap, format4, glyphs);
  return glyphs;
}

export function readWoffMetrics(data: Buffer): FontMetrics {
  const tables = readTables(data);
  const glyphs = readCmap(table(tables, "cmap"));
  const unitsPerEm = table(tables, "head").readUInt16BE(18);
  const longMetrics = table(tables, "hhea").readUInt16BE(34);
  const numGlyphs = table(tables, "maxp").readUInt16BE(4);
  const hmtx = table(tables, "hmtx");
  const advances = new Uint16Array(numGlyphs);
  for (let glyph = 0; glyph < numGlyphs; glyph++)
    advances[glyph] = hmtx.readUInt16BE(Math.min(glyph, longMetrics - 1) * 4);
  return { glyphs, advances, unitsPerEm };
}

/**
 * The same font as a plain TrueType/OpenType file. fontkit (react-pdf's font engine) inflates a
 * WOFF table again every time it reads it, and its subsetter reads the glyf table once per glyph:
 * given the WOFF, most of a PDF's render time went into zlib. Unpacked once per thread, it is free.
 */
export function woffToSfnt(data: Buffer): Buffer {
  const tables = [...readTables(data)].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const count = tables.length;
  const power = 2 ** Math.floor(Math.log2(count));
  const header = Buffer.alloc(12 + count * 16);
  header.writeUInt32BE(data.readUInt32BE(4), 0); // the flavour: 0x00010000 (TrueType) or "OTTO"
  header.writeUInt16BE(count, 4);
  header.writeUInt16BE(power * 16, 6);
  header.writeUInt16BE(Math.log2(power), 8);
  header.writeUInt16BE(count * 16 - power * 16, 10);
  const checksums = new Map<string, number>();
  for (let index = 0; index < data.readUInt16BE(12); index++) {
    const entry = 44 + index * 20;
    checksums.set(data.toString("latin1", entry, entry + 4), data.readUInt32BE(entry + 16));
  }
  const bodies: Buffer[] = [];
  let offset = header.length;
  tables.forEach(([tag, body], index) => {
    const entry = 12 + index * 16;
    header.write(tag, entry, "latin1");
    header.writeUInt32BE(checksums.get(tag) ?? 0, entry + 4);
    header.writeUInt32BE(offset, entry + 8);
    header.writeUInt32BE(body.length, entry + 12);
    const padded = Buffer.alloc((body.length + 3) & ~3);
    body.copy(padded);
    bodies.push(padded);
    offset += padded.length;
  });
  return Buffer.concat([header, ...bodies]);
}
