import type { AssetKind, RenderedAsset, Renderer, RenderInput, RenderPriority } from "../rendering/rendering.types.js";

/**
 * Starts the real renderer (a pool of worker threads with fonts loaded) on the first render, so
 * an API-only process, a CLI command or a test that never renders pays nothing for it.
 */
export function lazyRenderer(create: () => Renderer): Renderer {
  let renderer: Renderer | null = null;
  return {
    render(kind: AssetKind, input: RenderInput, options?: { priority?: RenderPriority }): Promise<RenderedAsset> {
      renderer ??= create();
      return renderer.render(kind, input, options);
    },
    async close() {
      await renderer?.close();
      renderer = null;
    },
  };
}
