import type { TFunction } from "i18next";
import { getTranslator } from "../i18n/i18n.js";
import type { SupportedLocale } from "../i18n/locales.js";
import { withLang } from "../i18n/page-locale.js";
import type { RecapWithAccount } from "../recaps/recaps.js";
import { CARD_SIZES, type CardSize, THEMES, type Theme } from "../rendering/rendering.types.js";

/**
 * "Make it theirs": the end customer's choices on the preview page before publishing, each its own
 * small form that works without JavaScript: the cards' look and the size shown first, another
 * drafted wording of the headline and post, and the post in their own words. The page's script
 * (choices-script.ts) only makes it smoother: the card preview follows a choice before it is saved.
 */

/** What the page says back after a choice was refused: the customer's own text stays in the box. */
export type ChoicesFeedback = {
  /** The post as the customer sent it, when it was refused (it is not saved). */
  postDraft?: string;
  /** Why the post was refused, in the page's language (names the failed number). */
  postError?: string;
};

export const CARD_SIZE_ORDER = Object.keys(CARD_SIZES) as CardSize[];

/** The words of this part of the page, from the `customer` namespace. */
const words = (lang: SupportedLocale): TFunction => getTranslator(lang, "customer");

/** The look the cards have now: the customer's choice, else the tenant's default. */
export function currentLook(recap: RecapWithAccount, brandTheme: Theme | undefined) {
  return {
    theme: recap.customerChoices?.theme ?? brandTheme ?? "classic",
    firstCardSize: recap.customerChoices?.firstCardSize ?? "linkedin",
  } as const;
}

/** The server-rendered card for the recap's current choices (or one being tried), never cached. */
export function previewSrc(token: string, recap: RecapWithAccount, size: CardSize): string {
  return `/p/${token}/preview/${size}?v=${recap.version}`;
}

/** A little style of its own, so the shared stylesheet stays as it is. */
const CHOICES_CSS = `
main fieldset{border:1px solid var(--line);border-radius:.75rem;background:#fff;padding:1rem 1.25rem;margin:0 0 1.25rem;min-width:0}
main legend{font-weight:700;padding:0 .3rem}
.choice-row{display:flex;flex-wrap:wrap;gap:.5rem;margin:.5rem 0 .75rem}
.choice-row label{display:flex;align-items:center;gap:.45rem;margin:0;font-weight:500;border:1px solid var(--line);border-radius:.5rem;padding:.5rem .8rem;cursor:pointer;background:#fff}
.choice-row label:has(input:checked){border-color:var(--ink);box-shadow:inset 0 0 0 1px var(--ink);background:#f5f7fb}
.wording{display:block;margin:0 0 .75rem;font-weight:400;border:1px solid var(--line);border-radius:.6rem;padding:.75rem .9rem;cursor:pointer;background:#fff}
.wording:has(input:checked){border-color:var(--ink);box-shadow:inset 0 0 0 1px var(--ink);background:#f5f7fb}
.wording .top{display:flex;gap:.6rem;align-items:flex-start}
.wording input{margin-top:.3rem;flex:none}
.wording strong{display:block;overflow-wrap:anywhere}
.wording .post{display:-webkit-box;-webkit-box-orient:vertical;-webkit-line-clamp:6;line-clamp:6;overflow:hidden;white-space:pre-line;overflow-wrap:anywhere;font-size:.9rem;color:var(--muted);margin:.35rem 0 0 1.6rem}
.wording .tag{display:inline-block;font-size:.75rem;font-weight:700;text-transform:uppercase;letter-spacing:.04em;color:var(--ok);margin-left:.4rem}
.choices textarea{min-height:14rem;line-height:1.45;resize:vertical}
.choices .counter{font-size:.85rem;color:var(--muted);text-align:right;margin:.2rem 0 .6rem}
.choices .counter.over{color:var(--bad);font-weight:700}
.card-preview img{display:block;max-width:100%;max-height:80vh;width:auto;height:auto;border:1px solid var(--line);border-radius:.5rem;background:#fff}
`;

type Props = {
  token: string;
  recap: RecapWithAccount;
  lang: SupportedLocale;
  chosen?: SupportedLocale | undefined;
  brandTheme?: Theme | undefined;
  feedback?: ChoicesFeedback | undefined;
  /** While the text is re-written without hidden numbers, nothing can be chosen. */
  disabled: boolean;
};

function LookForm(props: Props) {
  const { token, recap, lang, chosen } = props;
  const t = words(lang);
  const look = currentLook(recap, props.brandTheme);
  return (
    <form method="post" action={withLang(`/p/${token}/look`, chosen)} data-look-form>
      <input type="hidden" name="version" value={recap.version} />
      <fieldset disabled={props.disabled}>
        <legend>{t("choices.look.legend")}</legend>
        <p className="hint">{t("choices.look.hint")}</p>
        <p id="theme-label" className="hint">
          <strong>{t("choices.look.theme")}</strong>
        </p>
        <div className="choice-row" role="radiogroup" aria-labelledby="theme-label">
          {THEMES.map((theme) => (
            <label key={theme}>
              <input type="radio" name="theme" value={theme} defaultChecked={look.theme === theme} />
              {t(`choices.look.themes.${theme}`)}
            </label>
          ))}
        </div>
        <p id="size-label" className="hint">
          <strong>{t("choices.look.size")}</strong>
        </p>
        <div className="choice-row" role="radiogroup" aria-labelledby="size-label">
          {CARD_SIZE_ORDER.map((size) => (
            <label key={size}>
              <input type="radio" name="firstCardSize" value={size} defaultChecked={look.firstCardSize === size} />
              {t(`choices.look.sizes.${size}`)}
            </label>
          ))}
        </div>
        <button type="submit" className="secondary">
          {t("choices.look.save")}
        </button>
      </fieldset>
    </form>
  );
}

function WordingForm(props: Props) {
  const { token, recap, lang, chosen } = props;
  const t = words(lang);
  const copy = recap.copy;
  const alternatives = recap.copyAlternatives ?? [];
  if (!copy || alternatives.length === 0) return null;
  const options = [
    { value: "current", headline: copy.headline, post: copy.linkedinPost, current: true },
    ...alternatives.map((wording, index) => ({
      value: String(index),
      headline: wording.headline,
      post: wording.linkedinPost,
      current: false,
    })),
  ];
  return (
    <form method="post" action={withLang(`/p/${token}/wording`, chosen)} data-wording-form>
      <input type="hidden" name="version" value={recap.version} />
      <fieldset disabled={props.disabled}>
        <legend>{t("choices.wording.legend")}</legend>
        <p className="hint">{t("choices.wording.hint", { count: options.length })}</p>
        {options.map((option, index) => (
          <label className="wording" key={option.value} lang={recap.locale}>
            <span className="top">
              <input
                type="radio"
                name="wording"
                value={option.value}
                defaultChecked={option.current}
                data-headline={option.headline}
              />
              <span>
                <span className="sr-only" lang={lang}>
                  {t("choices.wording.option", { n: index + 1 })}
                </span>
                <strong>
                  {option.headline}
                  {option.current ? (
                    <span className="tag" lang={lang}>
                      {t("choices.wording.current")}
                    </span>
                  ) : null}
                </strong>
              </span>
            </span>
            <span className="post">{option.post}</span>
          </label>
        ))}
        <button type="submit" className="secondary">
          {t("choices.wording.save")}
        </button>
      </fieldset>
    </form>
  );
}

export const POST_MAX = 700;

function PostForm(props: Props) {
  const { token, recap, lang, chosen, feedback } = props;
  const t = words(lang);
  if (!recap.copy) return null;
  const text = feedback?.postDraft ?? recap.copy.linkedinPost;
  const error = feedback?.postError;
  return (
    <form method="post" action={withLang(`/p/${token}/post`, chosen)} data-post-form>
      <input type="hidden" name="version" value={recap.version} />
      <fieldset disabled={props.disabled}>
        <legend>{t("choices.post.legend")}</legend>
        <p className="hint" id="post-hint">
          {t("choices.post.hint")}
        </p>
        <label htmlFor="post-text">{t("choices.post.label")}</label>
        {error ? (
          <p className="field-error" id="post-error" role="alert">
            {error}
          </p>
        ) : null}
        <textarea
          id="post-text"
          name="linkedinPost"
          lang={recap.locale}
          maxLength={POST_MAX}
          required
          aria-describedby={error ? "post-hint post-error post-count" : "post-hint post-count"}
          aria-invalid={error ? true : undefined}
          defaultValue={text}
          data-saved={recap.copy.linkedinPost}
          data-unsaved={t("choices.post.unsaved")}
        />
        <p
          className="counter"
          id="post-count"
          data-post-counter={t("choices.post.count", { used: "#", max: POST_MAX })}
        >
          {t("choices.post.count", { used: [...text].length, max: POST_MAX })}
        </p>
        <button type="submit" className="secondary">
          {t("choices.post.save")}
        </button>
      </fieldset>
    </form>
  );
}

/** The three choices, in the order a customer makes them: how it looks, which words, then their own. */
export function Choices(props: Props) {
  const t = words(props.lang);
  return (
    <section className="choices" aria-labelledby="choices-heading">
      <style>{CHOICES_CSS}</style>
      <h2 id="choices-heading">{t("choices.heading")}</h2>
      <LookForm {...props} />
      <WordingForm {...props} />
      <PostForm {...props} />
    </section>
  );
}
