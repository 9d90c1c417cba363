import type { CardSize } from "../../src/rendering/rendering.types.js";
import type { Measure, RecapModel } from "../model.js";
import { LinkedInCard } from "./linkedin-card.js";
import { SquareCard } from "./square-card.js";
import { StoryCard } from "./story-card.js";

/** The card design for a size; each is laid out for its own proportions, not scaled from another. */
export function Card({ size, model, measure }: { size: CardSize; model: RecapModel; measure: Measure }) {
  switch (size) {
    case "linkedin":
      return <LinkedInCard model={model} measure={measure} />;
    case "square":
      return <SquareCard model={model} measure={measure} />;
    case "story":
      return <StoryCard model={model} measure={measure} />;
  }
}
