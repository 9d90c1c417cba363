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

export function classifyRequest(request: { method: string; userAgent: string | undefined }): BotVerdict {
  const userAgent = request.userAgent?.trim() ?? "";
  const fetcher = PREVIEW_FETCHERS.find(([pattern]) => pattern.test(userAgent))?.[1] ?? null;
  if (fetcher) return { isBot: true, reason: `preview:${fetcher}`, previewFetcher: fetcher };
  // HEAD asks whether a link works; link checkers and unfurlers send it, people's browsers do not.
  if (request.method === "HEAD") return { isBot: true, reason: "head", previewFetcher: null };
  if (!userAgent) return { isBot: true, reason: "no_user_agent", previewFetcher: null };
  if (isbot(userAgent)) return { isBot: true, reason: "user_agent", previewFetcher: null };
  return { isBot: false, reason: null, previewFetcher: null };
}
