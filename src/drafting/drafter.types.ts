import type { FormattedFact } from "../i18n/format.js";
import type { SupportedLocale } from "../i18n/locales.js";
import type { RecapKind } from "../recaps/recaps.schema.js";
import type { Digest } from "../usage/digest.types.js";
import type { RecapCopy } from "./copy.schema.js";

export type OkDigest = Extract<Digest, { status: "ok" }>;

/** A: numbers and time/money ("rational"); B: achievement, rank and archetype ("pride"). */
export type CopyVariant = "A" | "B";

/** Everything a drafter may use. Names and labels are customer-supplied text: data, never instructions. */
export type DraftInput = {
  digest: OkDigest;
  /** Every fact's numbers as the copy must print them, in `locale`. */
  formatted: FormattedFact[];
  locale: SupportedLocale;
  variant: CopyVariant;
  kind: RecapKind;
  /** For a milestone recap: what happened ("crossed 1,000 runs"), from the value-moment rule. */
  milestone: string | null;
  /** For a milestone recap: the name of the value-moment rule that made it ("First integration live"), as the tenant wrote it. */
  moment?: string | null;
  account: { name: string };
  tenant: { name: string; productName: string };
};

export type TokenUsage = { promptTokens: number; completionTokens: number; totalTokens: number };

/** One try of a drafter; a failed try says why so the next one can be told. */
export type DraftAttempt =
  | {
      ok: true;
      copy: RecapCopy;
      /** Other wordings of the headline and post for the end customer to choose from; checked like the copy. */
      alternatives?: unknown[];
      usage: TokenUsage | null;
    }
  | { ok: false; reasons: string[]; usage: TokenUsage | null };

export interface Drafter {
  /** "template" or "openai", stored with the recap. */
  readonly name: string;
  /** The model, when there is one. */
  readonly model: string | null;
  /** Bumped whenever the prompt or the templates change meaning, stored with the recap. */
  readonly promptVersion: string;
  /**
   * Drafts the copy. `feedback` lists what was wrong with the previous try (numbers that match no
   * fact, fields too long); it is empty on the first try. Throws `DrafterUnavailableError` when the
   * drafter cannot be reached at all (after its own retries).
   */
  draft(input: DraftInput, feedback: readonly string[]): Promise<DraftAttempt>;
}

export class DrafterUnavailableError extends Error {
  constructor(
    message: string,
    readonly usage: TokenUsage | null = null,
  ) {
    super(message);
    this.name = "DrafterUnavailableError";
  }
}
