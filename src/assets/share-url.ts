import type { Config } from "../config.js";

/**
 * The URL the PDF's QR code points to. Share links (`/s/:code`) arrive with the sharing feature;
 * until then the QR code is left out rather than pointing somewhere that does not exist yet.
 */
export function shareUrlFor(_config: Pick<Config, "publicBaseUrl">, _recap: { id: string }): string | null {
  return null;
}
