import { cardSvg, rasterise } from "../../src/rendering/card-png.js";
import { loadFonts } from "../../src/rendering/fonts.js";
import { buildRecapModel } from "../../templates/model.js";
import { renderInput } from "./fixtures.js";
const fonts = loadFonts();
for (const theme of ["classic", "bold"] as const) {
  const model = buildRecapModel(await renderInput({ theme }));
  for (const size of ["linkedin", "square", "story"] as const) {
    const svg = await cardSvg(size, model, fonts);
    const res: Record<string, number[]> = { satori: [], resvg: [], sharp: [] };
    let bytes: Record<string, number> = {};
    for (let i = 0; i < 15; i++) {
      let t = performance.now(); await cardSvg(size, model, fonts); res.satori!.push(performance.now() - t);
      for (const r of ["resvg", "sharp"] as const) { t = performance.now(); const b = await rasterise(svg, r); res[r]!.push(performance.now() - t); bytes[r] = b.length; }
    }
    const med = (a: number[]) => a.sort((x, y) => x - y)[Math.floor(a.length / 2)]!.toFixed(1);
    console.log(theme, size, "svg", svg.length, "satori", med(res.satori!), "resvg", med(res.resvg!), bytes.resvg, "sharp", med(res.sharp!), bytes.sharp);
  }
}
