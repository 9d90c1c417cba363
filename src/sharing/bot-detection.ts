import { isbot } from "isbot";

/**
 * Link-preview fetchers and crawlers, named so the dashboard can tell "LinkedIn built a preview"
 * from a person. isbot knows them all as bots too; the names only make `bot_reason` useful.
 * Command-line clients (curl, wget, python-requests…) are bots as well: isbot matches them, and a
 * person in a share loop clicks in a browser, so counting them would only count scripts and tests.
 */
const PREVIEW_FETCHERS: [RegExp, string][] = [
  [/linkedinbot/i, "linkedin"],
  [/slackbot|slack-imgproxy/i, "slack"],
  [/facebookexternalhit|facebot|meta-externalagent/i, "facebook"],
  [/telegrambot/i, "telegram"],
  [/twitterbot/i, "twitter"],
  [/whatsapp/i, "whatsapp"],
  [/discordbot/i, "discord"],
  [/googlebot|google-inspectiontool|googleother/i, "google"],
  [/skypeuripreview|microsoftpreview|teams/i, "microsoft"],
  [/applebot/i, "apple"],
  [/bingbot|bingpreview/i, "bing"],
];

export type BotVerdict = { isBot: boolean; reason: string | null; previewFetcher: string | null };

/**
 * A memo with a size bound, for pure functions of short strings on the redirect's hot path (a
 * user agent's verdict, a referrer's host), where a few hundred distinct values make almost all
 * the traffic. When full, the oldest entry goes: a hit costs one lookup (no reordering), and a
 * popular value pushed out is simply computed again.
 */
export function boundedMemo<T>(compute: (key: string) => T, maxEntries: number): (key: string) => T {
  const entries = new Map<string, T>();
  return (key) => {
    const known = entries.get(key);
    if (known !== undefined) return known;
    const value = compute(key);
    if (entries.size >= maxEntries) entries.delete(entries.keys().next().value as string);
    entries.set(key, value);
    return value;
  };
}

const HUMAN: BotVerdict = Object.freeze({ isBot: false, reason: null, previewFetcher: null });
const HEAD: BotVerdict = Object.freeze({ isBot: true, reason: "head", previewFetcher: null });
const NO_USER_AGENT: BotVerdict = Object.freeze({ isBot: true, reason: "no_user_agent", previewFetcher: null });
const USER_AGENT: BotVerdict = Object.freeze({ isBot: true, reason: "user_agent", previewFetcher: null });
const FETCHERS = new Map(
  PREVIEW_FETCHERS.map(([, name]) => [
    name,
    Object.freeze({ isBot: true, reason: `preview:${name}`, previewFetcher: name }) as BotVerdict,
  ]),
);

/**
 * What the user agent alone says (a named fetcher, a bot, or a browser): the regular expressions
 * (isbot's is large) run once per distinct user agent, not once per click.
 */
const verdictOfUserAgent = boundedMemo((userAgent: string): BotVerdict => {
  const fetcher = PREVIEW_FETCHERS.find(([pattern]) => pattern.test(userAgent))?.[1];
  if (fetcher) return FETCHERS.get(fetcher) as BotVerdict;
  if (!userAgent) return NO_USER_AGENT;
  return isbot(userAgent) ? USER_AGENT : HUMAN;
}, 2048);

/** Named preview fetchers first, then HEAD requests, then no user agent, then isbot's verdict. */
export function classifyRequest(request: { method: string; userAgent: string | undefined }): BotVerdict {
  const verdict = verdictOfUserAgent(request.userAgent?.trim() ?? "");
  // HEAD asks whether a link works; link checkers and unfurlers send it, people's browsers do not.
  if (request.method === "HEAD" && verdict.previewFetcher === null) return HEAD;
  return verdict;
}
