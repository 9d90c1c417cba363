/** The PDF's lasting address through a share link: what an e-mail can carry (served by recap-pdf.routes.ts). */
export function recapPdfPath(code: string): string {
  return `/s/${code}/pdf`;
}
