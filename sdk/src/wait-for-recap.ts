import type { components } from "./api.gen.js";
import type { OutcomeRecapClient } from "./client.js";
import { asProblem, OutcomeRecapError } from "./problem.js";
import { type Clock, realClock, realSleep, type Sleep } from "./timing.js";

export type Recap = components["schemas"]["Recap"];
export type RecapState = Recap["state"];

export type WaitForRecapOptions = {
  /** Give up after this long (default 2 minutes), measured on `clock`. */
  timeoutMs?: number;
  /** Between two reads (default 1 s). */
  intervalMs?: number;
  sleep?: Sleep;
  clock?: Clock;
};

/** Thrown when the recap did not reach a wanted state in time; `recap` is the last one read. */
export class RecapWaitTimeout extends Error {
  readonly recap: Recap;
  constructor(recap: Recap, states: readonly RecapState[], timeoutMs: number) {
    super(`Recap ${recap.id} is still "${recap.state}" after ${timeoutMs} ms (waiting for ${states.join(" or ")}).`);
    this.name = "RecapWaitTimeout";
    this.recap = recap;
  }
}

/**
 * Reads `GET /v1/recaps/{id}` until its state is one of `states` and returns that recap: e.g. wait for
 * `pending_review` (drafted) or `approved`/`published`. Drafting runs as a job, so a new recap
 * starts in `drafting`. A refusal (404, 401, …) throws an `OutcomeRecapError` at once; a timeout
 * throws `RecapWaitTimeout`. Prefer a webhook (`recap.drafted`, `recap.approved`) where you
 * can receive one: this is for scripts, CI and tests.
 */
export async function waitForRecap(
  client: OutcomeRecapClient,
  id: string,
  states: RecapState | readonly RecapState[],
  options: WaitForRecapOptions = {},
): Promise<Recap> {
  const wanted: readonly RecapState[] = typeof states === "string" ? [states] : states;
  const clock = options.clock ?? realClock;
  const sleep = options.sleep ?? realSleep;
  const timeoutMs = options.timeoutMs ?? 120_000;
  const deadline = clock.now() + timeoutMs;
  for (;;) {
    const { data, error, response } = await client.GET("/v1/recaps/{id}", { params: { path: { id } } });
    if (!data) throw new OutcomeRecapError(response.status, asProblem(error));
    if (wanted.includes(data.state)) return data;
    if (clock.now() >= deadline) throw new RecapWaitTimeout(data, wanted, timeoutMs);
    await sleep(Math.min(options.intervalMs ?? 1_000, Math.max(deadline - clock.now(), 0)));
  }
}
