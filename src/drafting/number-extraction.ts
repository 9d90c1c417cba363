import { isKnownCurrency, SUPPORTED_LOCALES, type SupportedLocale } from "../i18n/locales.js";
import { foldText, OTHER_NUMERAL, originalSpan } from "./text-fold.js";

/**
 * Finds every number a reader would see in a text, read the way the text's language writes
 * numbers. The rules and their reasons are in docs/fact-check.md.
 */

export type FoundNumber = { text: string; value: number; start: number; end: number };

/** What the signs and words around a number say it is; "plain" when nothing does. */
export type NumberKind = "plain" | "percent" | "money" | "ratio" | "quarter" | "hours" | "minutes" | "days";

export type ScannedNumber = FoundNumber & {
  kind: NumberKind;
  /** +1 or −1 when the text writes a sign, else 0. `value` carries the sign too. */
  sign: -1 | 0 | 1;
  /** The worth of the last digit shown: 1 for "8", 0.1 for "8,1", 1000 for "10k". */
  step: number;
  /** Written in words ("three", "kolmea"). */
  spelled: boolean;
  /** The currency as written ("€", "SEK", "kr", "euroa"), for money. */
  currency: string | null;
  /** Why the text cannot be trusted whatever it matches (a wrong-locale or malformed number). */
  problem: string | null;
};

const SPACES = new Set([" ", "\u00a0", "\u202f", "\u2009"]);
const SEPARATORS = new Set([...SPACES, ".", ",", "'"]);
const SP = "[ \\u00a0\\u202f\\u2009]";
const SIGNS: Record<string, -1 | 1> = { "+": 1, "-": -1, "\u2212": -1, "\u2013": -1 };

/** How each language groups thousands and writes decimals (as src/i18n/format.ts does). */
type Rules = { group: ReadonlySet<string>; decimal: string; example: string };
const NORDIC: Rules = { group: SPACES, decimal: ",", example: "1 284,5" };
const EN: Rules = { group: new Set([","]), decimal: ".", example: "1,284.5" };
const DE: Rules = { group: new Set(["."]), decimal: ",", example: "1.284,5" };
const RULES: Record<SupportedLocale, Rules> = { en: EN, de: DE, et: NORDIC, fi: NORDIC, sv: NORDIC };

/**
 * Small numbers in words, "value word word …"; a "*" marks a multiple ("twice"). One is left out
 * in every language: "one", "ein", "en/ett", "üks", "yksi" are articles or pronouns far more
 * often than numbers. Estonian "viis" (also "took") and "kuus" (also "in a month") are left out;
 * their case forms are not ambiguous and stay.
 */
const WORD_LISTS: Record<SupportedLocale, string> = {
  en: `2 two *twice *doubled; 3 three *thrice *tripled; 4 four; 5 five; 6 six; 7 seven; 8 eight; 9 nine; 10 ten;
    11 eleven; 12 twelve`,
  et: `2 kaks kahe kahte kaht kahes kahega *kahekordne *kahekordselt *kahekordistus *kahekordistas *kahekordistunud;
    3 kolm kolme kolmes kolmega kolmeks kolmele *kolmekordne *kolmekordistas; 4 neli nelja; 5 viie viit; 6 kuue kuut; 7 seitse seitsme seitset;
    8 kaheksa kaheksat; 9 üheksa üheksat; 10 kümme kümne kümmet; 11 üksteist üheteist üheteistkümne;
    12 kaksteist kaheteist kaheteistkümne`,
  fi: `2 kaksi kahden kahta kahdessa kahteen kahdella kahtena *kaksinkertainen *kaksinkertaisesti *kaksinkertaistui
    *kaksinkertaisti *tuplasti *tuplaantui; 3 kolme kolmen kolmea kolmessa kolmeen kolmella kolmena *kolminkertainen
    *kolminkertaistui; 4 neljä neljän neljää neljässä neljään neljällä; 5 viisi viiden viittä viidessä viiteen viidellä;
    6 kuusi kuuden kuutta kuudessa kuuteen kuudella; 7 seitsemän seitsemää seitsemässä seitsemään;
    8 kahdeksan kahdeksaa kahdeksassa kahdeksaan; 9 yhdeksän yhdeksää yhdeksässä yhdeksään;
    10 kymmenen kymmentä kymmenessä kymmeneen; 11 yksitoista yhdentoista yhtätoista;
    12 kaksitoista kahdentoista kahtatoista`,
  de: `2 zwei *zweimal *zweifach *doppelt *verdoppelt *verdoppelte; 3 drei *dreimal *dreifach *verdreifacht
    *verdreifachte; 4 vier; 5 fünf; 6 sechs; 7 sieben; 8 acht; 9 neun; 10 zehn; 11 elf; 12 zwölf`,
  sv: `2 två *dubbelt *fördubblat *fördubblades *fördubblats; 3 tre *tredubblat *tredubblades; 4 fyra; 5 fem; 6 sex;
    7 sju; 8 åtta; 9 nio; 10 tio; 11 elva; 12 tolv`,
};

type WordEntry = { value: number; ratio: boolean };
const WORDS = Object.fromEntries(
  Object.entries(WORD_LISTS).map(([locale, lists]) => {
    const words = new Map<string, WordEntry>();
    for (const list of lists.split(";")) {
      const [value, ...forms] = list.trim().split(/\s+/);
      for (const form of forms) words.set(form.replace("*", ""), { value: Number(value), ratio: form.startsWith("*") });
    }
    return [locale, words];
  }),
) as Record<SupportedLocale, Map<string, WordEntry>>;

/** Words after a number that scale it; matched case-insensitively. */
const SCALE: Record<SupportedLocale, string> = {
  en: "thousand|million|billion|bn",
  de: "tausend|tsd\\.|millionen|million|mio\\.|milliarden|milliarde|mrd\\.",
  fi: "tuhatta|tuhannen|tuhat|miljoonaa|miljoonan|miljoona|milj\\.|miljardia|miljardin|miljardi|mrd\\.",
  sv: "tusen|miljoner|miljon|milj\\.|mn|miljarder|miljard|mdr",
  et: "tuhat|tuhande|miljonit|miljoni|miljon|mln\\.?|miljardit|miljardi|miljard|mld\\.?",
};
const scaleOf = (word: string) =>
  /^(th|ta|ts|tu)/.test(word) ? 1e3 : /^(b|mrd|mdr|mld|miljard|milliard)/.test(word) ? 1e9 : 1e6;

/**
 * The words after a number that say what it is, "kind: a|b|…" (regular expressions, matched
 * case-insensitively): the units the formatter writes (short and long), per cent, money, multiples
 * and ordinals of a quarter ("3. Quartal").
 */
const UNIT_WORDS: Record<SupportedLocale, string> = {
  en: `percent: percent|per cent|pct|percentage points?; ratio: fold|times; money: euros?|dollars?|pounds?|kronor|kr\\.?;
    hours: h|hrs?|hours?; minutes: mins?|minutes?; days: d|days?; quarter: (?:st|nd|rd|th)?[ \\u00a0]quarter`,
  de: `percent: prozent|prozentpunkte?; ratio: fach|mal; money: euro|dollar|franken|kronen|kr\\.?;
    hours: std\\.|stunden?|h; minutes: min\\.?|minuten?; days: tg\\.|tagen?|tage?; quarter: \\.?[ \\u00a0]quartals?`,
  fi: `percent: prosentti\\p{L}*; ratio: kertaa|kertai\\p{L}*; money: euro\\p{L}*|dollari\\p{L}*|kruunu\\p{L}*|kr\\.?;
    hours: h|t|tun(?:ti|ni|te)\\p{L}*; minutes: min|minuut\\p{L}*; days: pv|vrk|päiv\\p{L}*|vuorokau\\p{L}*;
    quarter: \\.?[ \\u00a0](?:vuosi)?neljänne\\p{L}*|\\.?[ \\u00a0]kvartaali\\p{L}*`,
  sv: `percent: procent\\p{L}*; ratio: gånger|faldig\\p{L}*; money: euro|kronor|kr\\.?|dollar; hours: h|tim|timmar|timme|timmarna;
    minutes: min|minuter|minut; days: d|dygn|dagar|dag; quarter: (?::[ae])?[ \\u00a0]kvartal\\p{L}*`,
  et: `percent: protsen\\p{L}*; ratio: korda|kordne|kordselt|kordseks; money: euro\\p{L}*|dollari\\p{L}*|krooni\\p{L}*|kr\\.?;
    hours: h|t|tund|tundi|tunni\\p{L}*|tundide\\p{L}*; minutes: min|minut\\p{L}*; days: p|päev\\p{L}*|ööpäev\\p{L}*;
    quarter: \\.?[ \\u00a0]kvartal\\p{L}*`,
};

const SCALE_RE = Object.fromEntries(
  Object.entries(SCALE).map(([locale, words]) => [locale, new RegExp(`${SP}?(${words})(?!\\p{L})`, "iuy")]),
) as Record<SupportedLocale, RegExp>;
const UNIT_RE = Object.fromEntries(
  Object.entries(UNIT_WORDS).map(([locale, kinds]) => {
    const alternatives = kinds.split(";").map((entry) => `${entry.trim().replace(/^(\w+): /, "(?<$1>")})`);
    return [locale, new RegExp(`${SP}?-?(?:${alternatives.join("|")})(?![\\p{L}\\p{N}])`, "iuy")];
  }),
) as Record<SupportedLocale, RegExp>;
/** Signs: "%", "×", currency symbols and codes, and "x" or "k"/"M" glued to the digits. */
const SYMBOL_RE = new RegExp(
  `(?:${SP}?(?<percent>%)|${SP}?(?<ratio>×)|(?<glued>[xX])(?![\\p{L}\\p{N}])|${SP}?(?<money>US\\$|\\p{Sc}|[A-Z]{3}(?![\\p{L}\\p{N}])))`,
  "uy",
);
const GLUED_SCALE_RE = /([kK]|M)(?![\p{L}\p{N}])/uy;

const isDigit = (char: string | undefined) => char !== undefined && char >= "0" && char <= "9";
const isLetter = (char: string | undefined) => char !== undefined && /[\p{L}\p{M}]/u.test(char);

function stickyAt(pattern: RegExp, text: string, index: number): RegExpExecArray | null {
  pattern.lastIndex = index;
  return pattern.exec(text);
}

type Kind = { kind: NumberKind; end: number; currency: string | null };

/** The kind a sign or word right at `end` gives a number ("%", "€", "×", "h", "Quartal"), if any. */
function readKind(text: string, end: number, locale: SupportedLocale): Kind | null {
  const symbol = stickyAt(SYMBOL_RE, text, end);
  const code = symbol?.groups?.money;
  if (symbol && !(code && /^[A-Z]{3}$/.test(code) && !isKnownCurrency(code))) {
    const groups = symbol.groups!;
    const kind = groups.percent ? "percent" : groups.ratio || groups.glued ? "ratio" : "money";
    return { kind, end: end + symbol[0].length, currency: code ?? null };
  }
  const unit = stickyAt(UNIT_RE[locale], text, end);
  const found = unit && Object.entries(unit.groups ?? {}).find(([, value]) => value !== undefined);
  if (!unit || !found) return null;
  return { kind: found[0] as NumberKind, end: end + unit[0].length, currency: unit.groups?.money ?? null };
}

/** What follows a number: a scale ("10k", "1,2 miljoonaa") and then a kind ("%", "€", "h"). */
function readSuffix(text: string, end: number, locale: SupportedLocale) {
  let scale = 1;
  const scaled = stickyAt(GLUED_SCALE_RE, text, end) ?? stickyAt(SCALE_RE[locale], text, end);
  if (scaled) {
    const word = scaled[1]!.toLowerCase();
    scale = word === "k" ? 1e3 : word === "m" ? 1e6 : scaleOf(word);
    end += scaled[0].length;
  }
  return { scale, ...(readKind(text, end, locale) ?? { kind: null, end, currency: null }) };
}

/**
 * A currency symbol or code and a sign before a number ("−€1,200", "SEK 12 840"). A code counts
 * only when nothing after the digits says otherwise (`codeAllowed`): "TOP 10 %" is not Tongan money.
 */
function readPrefix(text: string, start: number, codeAllowed: boolean) {
  let currency: string | null = null;
  let at = SPACES.has(text[start - 1] ?? "") ? start - 1 : start;
  const letters = text.slice(Math.max(0, at - 3), at);
  if (/\p{Sc}/u.test(text[at - 1] ?? "")) {
    currency = text.slice(at - 3, at) === "US$" ? "US$" : text[at - 1]!;
    at -= currency.length;
  } else if (codeAllowed && /^[A-Z]{3}$/.test(letters) && !isLetter(text[at - 4]) && isKnownCurrency(letters)) {
    currency = letters;
    at -= 3;
  } else at = start;
  let sign: -1 | 0 | 1 = 0;
  const before = text[at - 1] ?? "";
  const outside = text[at - 2];
  if (before in SIGNS && !isLetter(outside) && !isDigit(outside)) {
    sign = SIGNS[before]!;
    at -= 1;
  }
  return { currency, symbol: currency !== null && currency !== letters, sign, start: at };
}

const digitsAt = (text: string, index: number) => index + /^\d*/.exec(text.slice(index))![0].length;

type Piece = { first: number; last: number; decimals: number; problem: string | null };

/** A run of digits and single separators; read as one number if the locale's rules allow, else split. */
function scanRun(text: string, index: number, locale: SupportedLocale, out: ScannedNumber[]): number {
  const groups: [number, number][] = [[index, digitsAt(text, index)]];
  for (let at = groups[0]![1]; SEPARATORS.has(text[at] ?? "") && isDigit(text[at + 1]); at = groups.at(-1)![1])
    groups.push([at + 1, digitsAt(text, at + 1)]);
  const runEnd = groups.at(-1)![1];
  const lettersBefore = /[\p{L}\p{M}]*$/u.exec(text.slice(Math.max(0, index - 3), index))![0].length;
  // "B2B", "i18n", "k8s": a digit or two inside a short word are part of a name.
  if (lettersBefore > 0 && lettersBefore <= 2 && runEnd - index <= 2 && groups.length === 1 && isLetter(text[runEnd]))
    return runEnd;
  const rules = RULES[locale];
  const size = (group: number) => groups[group]![1] - groups[group]![0];
  const separator = (group: number) => text[groups[group]![0] - 1]!;
  const pieces: Piece[] = [];
  for (let first = 0; first < groups.length; ) {
    let last = first;
    if (size(first) <= 3)
      while (last + 1 < groups.length && rules.group.has(separator(last + 1)) && size(last + 1) === 3) last++;
    let decimals = 0;
    if (last + 1 < groups.length && separator(last + 1) === rules.decimal) decimals = size(++last);
    pieces.push({ first, last, decimals, problem: null });
    first = last + 1;
  }
  const runText = text.slice(index, runEnd);
  for (let at = 1; at < pieces.length; at++) {
    const left = pieces[at - 1]!;
    const right = pieces[at]!;
    const between = separator(right.first);
    let problem: string | null = null;
    if (!SPACES.has(between))
      problem = `is part of "${runText}", not a number as ${locale} writes them (${rules.example})`;
    else if (rules.group !== SPACES && left.first === left.last && size(left.first) <= 3 && size(right.first) === 3)
      problem = `is part of "${runText}", grouped with spaces; ${locale} writes ${rules.example}`;
    if (problem) {
      left.problem ??= problem;
      right.problem ??= problem;
    }
  }
  for (const piece of pieces) {
    const digits = groups.slice(piece.first, piece.last + 1).map(([from, to]) => text.slice(from, to));
    const isFirst = piece.first === 0;
    const isLast = piece.last === groups.length - 1;
    const suffix = isLast
      ? readSuffix(text, runEnd, locale)
      : { scale: 1, kind: null, end: groups[piece.last]![1], currency: null };
    const prefix = isFirst
      ? readPrefix(text, index, suffix.kind === null || suffix.kind === "money")
      : { currency: null, symbol: false, sign: 0 as const, start: groups[piece.first]![0] };
    const magnitude = (Number(digits.join("")) * suffix.scale) / 10 ** piece.decimals;
    const problem =
      piece.problem ??
      (piece.decimals === 3
        ? `reads as ${magnitude} in ${locale} (three decimals); ${locale} writes a thousands group as ${rules.example}`
        : null);
    const value = prefix.sign < 0 ? -magnitude : magnitude;
    out.push(
      scanned(text, prefix.start, suffix.end, value, {
        // A symbol before the digits wins, then the words after them, then a code before them.
        kind: prefix.symbol ? "money" : (suffix.kind ?? (prefix.currency ? "money" : "plain")),
        currency: prefix.currency ?? suffix.currency,
        sign: prefix.sign,
        step: suffix.scale / 10 ** piece.decimals,
        problem,
      }),
    );
  }
  return runEnd;
}

/** "Q3", "#Q3", "2026-Q3", "Q32026": a quarter number right after a lone Q. */
function quarterAt(text: string, word: string, end: number): boolean {
  if (word !== "Q" && word !== "q") return false;
  if (!/[1-4]/.test(text[end] ?? "")) return false;
  return !isDigit(text[end + 1]) || (digitsAt(text, end + 1) === end + 5 && !isLetter(text[end + 5]));
}

const scanned = (text: string, start: number, end: number, value: number, more: Partial<ScannedNumber>) => ({
  ...{ text: text.slice(start, end), value, start, end, kind: "plain" as NumberKind, currency: null, sign: 0 as const },
  ...{ step: 1, spelled: false, problem: null, ...more },
});

/**
 * Number words past the small ones, in every language at once ("ninety", "neunzig",
 * "yhdeksänkymmentä", "üheksakümmend", "nittio", "hundred", "tuhansia", "Millionen"): they are
 * not read, so a wrong number written that way could not be caught; they are always flagged.
 * Whole words only, and only forms that are numbers and nothing else ("toista" alone is "another",
 * "teist" alone is "other", "satama" a harbour: those need a number before them).
 */
const FI_UNITS =
  "yksi|yhden|yhtä|kaksi|kahden|kahta|kolme|kolmen|kolmea|neljä|neljän|neljää|viisi|viiden|viittä|kuusi|kuuden|kuutta|seitsemän|seitsemää|kahdeksan|kahdeksaa|yhdeksän|yhdeksää";
const ET_UNITS = "üks|ühe|kaks|kahe|kolm|kolme|neli|nelja|viis|viie|kuus|kuue|seitse|seitsme|kaheksa|üheksa";
const DE_PARTS =
  "ein|eins|zwei|drei|vier|fünf|sechs|sech|sieben|sieb|acht|neun|zehn|elf|zwölf|zwanzig|dreißig|vierzig|fünfzig|sechzig|siebzig|achtzig|neunzig|hundert|tausend|und|millionen|million|milliarden|milliarde|dutzende|dutzend";
const SV_UNITS = "ett|en|två|tre|fyra|fem|sex|sju|åtta|nio|tio|elva|tolv";
const SV_TENS = "tjugo|trettio|fyrtio|femtio|sextio|sjuttio|åttio|nittio";
const LARGE_NUMBER_WORDS: Record<SupportedLocale, string> = {
  en: "(?:thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|million|billion|trillion)(?:s|th|ths|fold)?|dozens?",
  de: `(?=\\p{L}*(?:zehn|zig|ßig|hundert|tausend|million|milliard|dutzend))(?:${DE_PARTS})+(?:fach|mal|ste[mnrs]?|stel|e[nr]?)?`,
  fi: `(?:${FI_UNITS})?(?:kymmen\\p{L}*|sata|sataa|sadan|sadassa|sadalla|sataan|satoja|satojen|sadat|tuhat|tuhatta|tuhannen|tuhannessa|tuhanteen|tuhannella|tuhansia|tuhansien|tuhansittain|tuhannet)|(?:${FI_UNITS})toista|miljoon\\p{L}*|miljard\\p{L}*`,
  et: `(?:${ET_UNITS})kümne\\p{L}*|kümne\\p{L}+|(?:${ET_UNITS})?(?:kümmend\\p{L}*|sada|sadat|saja|sajad|sajast|tuhat|tuhande\\p{L}*|tuhandet)|(?:${ET_UNITS})teist\\p{L}*|miljon\\p{L}*|miljard\\p{L}*`,
  sv: `tretton|fjorton|femton|sexton|sjutton|arton|nitton|(?:${SV_TENS})\\p{L}*|(?:${SV_UNITS}|${SV_TENS})?(?:hundra|tusen)\\p{L}*|miljon\\p{L}*|miljard\\p{L}*|dussin\\p{L}*`,
};
const LARGE_NUMBER_WORD = new RegExp(
  `^(?:${SUPPORTED_LOCALES.map((locale) => LARGE_NUMBER_WORDS[locale]).join("|")})$`,
  "u",
);

/** Every number in `text`, with how it is written; see docs/fact-check.md. */
export function scanNumbers(text: string, locale: SupportedLocale): ScannedNumber[] {
  // Read on the folded text ("𝟗𝟗𝟗𝟗" as "9999"), reported where it stands in the text as written.
  const folded = foldText(text);
  const out: ScannedNumber[] = [];
  const seen = new Set<string>();
  for (const found of scanFolded(folded.text, locale)) {
    const { start, end } = originalSpan(folded, found.start, found.end, text);
    // "½" folds to "1⁄2": two numbers, one character; report it once.
    if (seen.has(`${start}:${end}`)) continue;
    seen.add(`${start}:${end}`);
    out.push({ ...found, text: text.slice(start, end), start, end });
  }
  // A digit that is not 0–9 (mathematical, superscript, circled, full-width, Roman, another
  // script's) cannot be trusted, whatever it reads as: flag the number it is in, or on its own.
  const others: ScannedNumber[] = [];
  for (const match of text.matchAll(OTHER_NUMERAL)) {
    const start = match.index;
    const end = start + match[0].length;
    const holder = out.find((found) => found.start <= start && end <= found.end);
    if (holder) holder.problem ??= OTHER_DIGITS;
    else if (others.at(-1)?.end === start) {
      const last = others.at(-1)!;
      others[others.length - 1] = { ...last, text: text.slice(last.start, end), end };
    } else others.push(scanned(text, start, end, Number.NaN, { problem: OTHER_DIGITS }));
  }
  return [...out, ...others].sort((a, b) => a.start - b.start);
}

const OTHER_DIGITS = "uses digits other than 0–9";

function scanFolded(text: string, locale: SupportedLocale): ScannedNumber[] {
  const out: ScannedNumber[] = [];
  for (let index = 0; index < text.length; ) {
    const char = text[index]!;
    if (isDigit(char)) {
      index = scanRun(text, index, locale, out);
      continue;
    }
    // Digits of another script ("１２", "١٢") cannot be read reliably: never let them through.
    if (/\p{Nd}/u.test(char)) {
      let end = index + char.length;
      while (/\p{Nd}/u.test(text[end] ?? "")) end++;
      out.push(scanned(text, index, end, Number.NaN, { problem: OTHER_DIGITS }));
      index = end;
      continue;
    }
    if (!isLetter(char)) {
      index++;
      continue;
    }
    let end = index;
    while (isLetter(text[end])) end++;
    // Words already read as part of a number ("1,2 miljoonaa euroa") are not read again.
    if (index < (out.at(-1)?.end ?? 0)) {
      index = end;
      continue;
    }
    const word = text.slice(index, end);
    if (quarterAt(text, word, end)) {
      out.push(scanned(text, index, end + 1, Number(text[end]), { kind: "quarter" }));
      index = end + 1;
      continue;
    }
    const entry = WORDS[locale].get(word.normalize("NFC").toLowerCase());
    if (entry) {
      const suffix = readSuffix(text, end, locale);
      const kind = suffix.kind ?? (entry.ratio ? "ratio" : "plain");
      const more = { kind, currency: suffix.currency, step: suffix.scale, spelled: true };
      out.push(scanned(text, index, suffix.end, entry.value * suffix.scale, more));
      end = suffix.end;
    } else if (LARGE_NUMBER_WORD.test(word.normalize("NFC").toLowerCase())) {
      const problem = "is a number in words; write it in digits, so it can be checked";
      out.push(scanned(text, index, end, Number.NaN, { spelled: true, problem }));
    }
    index = end;
  }
  return out;
}

/** Every number in `text` as the reader sees it: its text, its value and where it is. */
export function extractNumbers(text: string, locale: SupportedLocale): FoundNumber[] {
  return scanNumbers(text, locale).map(({ text: shown, value, start, end }) => ({ text: shown, value, start, end }));
}
