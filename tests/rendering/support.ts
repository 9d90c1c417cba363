import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import pixelmatch from "pixelmatch";
import { PNG } from "pngjs";
import sharp from "sharp";
import type { SupportedLocale } from "../../src/i18n/locales.js";

/** Headlines at the 60-character limit, with every letter the language adds to ASCII. */
export const LONG_HEADLINES: Record<SupportedLocale, string> = {
  en: "Harbor Labs automated 1,284 h of manual work in one quarter!",
  et: "Šokolaaditehase tiim säästis 1 284 h õõnsat käsitööd – žürii",
  fi: "Äänekosken tiimi säästi 1 284 h käsityötä ja pääsi töihin",
  de: "Müller & Söhne: 1.284 Std. weniger Übertragung für das Büro",
  sv: "Åre-teamet sparade 1 284 h manuellt arbete – mer tid över",
};

export const LONG_ACCOUNT = "Bauunternehmung Müller-Lüdenscheidt und Söhne Kommanditgesellschaft auf Aktien";

/** Whitespace of any kind (no-break spaces included) as one space, for comparing extracted text. */
export function squash(text: string): string {
  return text.replace(/[\s\u00a0\u202f]+/g, " ").trim();
}

/**
 * Pixels in the card's outer margin strips that differ from the background: text or a panel that
 * overflowed its box shows up here. (Classic cards only: their background is flat.)
 */
export async function strayPixels(png: Buffer, background: string, strip: { right: number; bottom: number }) {
  const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const [r, g, b] = [1, 3, 5].map((at) => Number.parseInt(background.slice(at, at + 2), 16)) as [
    number,
    number,
    number,
  ];
  let stray = 0;
  for (let y = 0; y < info.height; y++)
    for (let x = 0; x < info.width; x++) {
      if (x < info.width - strip.right && y < info.height - strip.bottom) continue;
      const at = (y * info.width + x) * 3;
      const off = Math.abs(data[at]! - r) + Math.abs(data[at + 1]! - g) + Math.abs(data[at + 2]! - b);
      if (off > 6) stray += 1;
    }
  return stray;
}

const GOLDEN_DIR = path.join(import.meta.dirname, "golden");
const ARTIFACTS = path.join(import.meta.dirname, "../../test-artifacts/rendering");
/**
 * Goldens are kept at half size in a 256-colour palette: a tenth of the bytes in git, still
 * faithful enough to review, and anti-aliasing noise averages out. The render under test goes
 * through the same reduction before it is compared.
 */
const SCALE = 0.5;
/** Share of pixels allowed to differ (pixelmatch's per-pixel threshold applies first). */
const TOLERANCE = 0.00002;

async function halfSize(png: Buffer): Promise<Buffer> {
  const meta = await sharp(png).metadata();
  return sharp(png)
    .resize(Math.round((meta.width ?? 0) * SCALE))
    .png({ palette: true, colours: 256, dither: 0, compressionLevel: 9 })
    .toBuffer();
}

/**
 * Compares a rendered card with its golden image. `UPDATE_GOLDEN=1` rewrites the golden instead;
 * on a mismatch the actual image and a diff are written to test-artifacts/rendering/.
 */
export async function matchGolden(name: string, png: Buffer): Promise<{ differing: number; share: number }> {
  const actual = await halfSize(png);
  const file = path.join(GOLDEN_DIR, `${name}.png`);
  if (process.env.UPDATE_GOLDEN === "1") {
    await mkdir(GOLDEN_DIR, { recursive: true });
    await writeFile(file, actual);
    return { differing: 0, share: 0 };
  }
  const expected = PNG.sync.read(
    await readFile(file).catch(() => {
      throw new Error(`No golden image ${file}: run UPDATE_GOLDEN=1 npx vitest run tests/rendering`);
    }),
  );
  const got = PNG.sync.read(actual);
  if (got.width !== expected.width || got.height !== expected.height)
    throw new Error(`${name}: ${got.width}×${got.height}, golden is ${expected.width}×${expected.height}`);
  const diff = new PNG({ width: got.width, height: got.height });
  const differing = pixelmatch(got.data, expected.data, diff.data, got.width, got.height, { threshold: 0.1 });
  const share = differing / (got.width * got.height);
  if (share > TOLERANCE) {
    await mkdir(ARTIFACTS, { recursive: true });
    await writeFile(path.join(ARTIFACTS, `${name}.actual.png`), actual);
    await writeFile(path.join(ARTIFACTS, `${name}.diff.png`), PNG.sync.write(diff));
  }
  return { differing, share };
}

export const GOLDEN_TOLERANCE = TOLERANCE;
