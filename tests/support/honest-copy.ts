import { DATA_CLOSE, DATA_OPEN } from "../../src/drafting/prompt.js";
import { type FakeRequest, messagesOf } from "./fake-openai-server.js";

// The data block a drafter request carries (see src/drafting/prompt.ts).
type PromptFact = { factId: string; value: string; change: string | null };
type PromptData = { highlightFactIds: string[]; facts: PromptFact[]; period: string };

function promptData(request: FakeRequest): PromptData {
  const user = messagesOf(request).user[0] ?? "";
  const json = user.slice(user.indexOf(DATA_OPEN) + DATA_OPEN.length, user.indexOf(DATA_CLOSE));
  return JSON.parse(json);
}

/** What a well-behaved model writes: only the numbers it was given, exactly as formatted. */
export function honestCopy(request: FakeRequest, extra = "") {
  const data = promptData(request);
  const byId = new Map(data.facts.map((fact) => [fact.factId, fact]));
  const lead = byId.get(data.highlightFactIds[0] ?? "");
  return {
    headline: `${lead?.value} in ${data.period}${extra}`.slice(0, 60),
    subheadline: "A quarter of steady work, measured.",
    highlights: data.highlightFactIds.map((id) => ({ factId: id, text: `${byId.get(id)?.value} this quarter` })),
    linkedinPost: `Our quarter in numbers: ${lead?.value}. #automation`,
    callToAction: "See the recap",
    imageAlt: `A card showing ${lead?.value}`,
    transparencyNote: "Based on our product usage data.",
  };
}
