import type { RecapCopy } from "../../drafting/copy.schema.js";
import type { Fact } from "../../usage/digest.types.js";

/** One editable text of the copy, named as the fact-check and the validation errors name it. */
export type CopyField = { name: string; label: string; max: number; multiline: boolean; value: string };

type Simple = Exclude<keyof RecapCopy, "highlights">;
export const SIMPLE_FIELDS: { key: Simple; label: string; max: number; multiline?: boolean }[] = [
  { key: "headline", label: "Headline", max: 60 },
  { key: "subheadline", label: "Subheadline", max: 120, multiline: true },
  { key: "linkedinPost", label: "LinkedIn post", max: 700, multiline: true },
  { key: "callToAction", label: "Call to action", max: 30 },
  { key: "imageAlt", label: "Image description (alt text)", max: 300, multiline: true },
  { key: "transparencyNote", label: "Transparency note", max: 160, multiline: true },
];

/** The fields in reading order: headline, subheadline, the highlights, then the rest. */
export function copyFields(copy: RecapCopy, facts: Fact[]): CopyField[] {
  const field = (entry: (typeof SIMPLE_FIELDS)[number]): CopyField => ({
    name: entry.key,
    label: entry.label,
    max: entry.max,
    multiline: entry.multiline ?? false,
    value: copy[entry.key],
  });
  const highlights = copy.highlights.map(
    (highlight, index): CopyField => ({
      name: `highlights.${index}.text`,
      label: `Highlight ${index + 1}: ${facts.find((fact) => fact.id === highlight.factId)?.label ?? highlight.factId}`,
      max: 140,
      multiline: true,
      value: highlight.text,
    }),
  );
  const [headline, subheadline, ...rest] = SIMPLE_FIELDS.map(field);
  return [headline!, subheadline!, ...highlights, ...rest];
}

/** Browsers send textarea line breaks as CRLF; the copy stores LF. */
export const normalizeText = (value: unknown) => (typeof value === "string" ? value.replace(/\r\n?/g, "\n") : "");

/**
 * The submitted copy form against the saved copy: the raw values (to show again after an error)
 * and only the fields that changed (so an untouched field is not recorded as an edit). A missing
 * form field keeps its saved value.
 */
export function readCopyForm(form: Record<string, unknown>, copy: RecapCopy) {
  const raw: Record<string, string> = {};
  const changed: Partial<RecapCopy> = {};
  for (const entry of SIMPLE_FIELDS) {
    if (!(entry.key in form)) continue;
    const value = normalizeText(form[entry.key]);
    raw[entry.key] = value;
    if (value.trim() !== copy[entry.key]) changed[entry.key] = value;
  }
  let highlightsChanged = false;
  const highlights = copy.highlights.map((highlight, index) => {
    const name = `highlights.${index}.text`;
    if (!(name in form)) return highlight;
    const value = normalizeText(form[name]);
    raw[name] = value;
    if (value.trim() !== highlight.text) highlightsChanged = true;
    return { factId: highlight.factId, text: value };
  });
  if (highlightsChanged) changed.highlights = highlights;
  return { raw, changed };
}

/** Validation paths ("highlights.0.text", "highlights", "linkedinPost") to the fields they belong to. */
export function errorsByField(errors: { path: string; message: string }[], fieldNames: string[]) {
  const byField: Record<string, string[]> = {};
  const general: string[] = [];
  for (const error of errors) {
    const name = fieldNames.find((field) => field === error.path || error.path.startsWith(`${field}.`));
    if (name) byField[name] = [...(byField[name] ?? []), error.message];
    else general.push(`${error.path}: ${error.message}`);
  }
  return { byField, general };
}
