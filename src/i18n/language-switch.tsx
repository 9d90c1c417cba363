import { SUPPORTED_LOCALES, type SupportedLocale } from "./locales.js";
import { LANGUAGE_NAMES, withLang } from "./page-locale.js";

/**
 * Links that show the same page in another language (`<path>?lang=xx`, or `&lang=xx` after a query). Each name is written in
 * its own language and marked so, so a screen reader says "Suomi" the Finnish way.
 */
export function LanguageSwitch(props: { current: SupportedLocale; label: string; path: string }) {
  return (
    <nav aria-label={props.label} className="langs">
      <ul>
        {SUPPORTED_LOCALES.map((locale) => (
          <li key={locale}>
            <a
              href={withLang(props.path, locale)}
              lang={locale}
              hrefLang={locale}
              aria-current={locale === props.current ? "true" : undefined}
            >
              {LANGUAGE_NAMES[locale]}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
