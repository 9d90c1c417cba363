/** Waiting, as a dependency: tests pass a fake that records the delay and returns at once. */
export type Sleep = (ms: number) => Promise<void>;

/** "Now", as a dependency, so a fake clock can drive timeouts without real time passing. */
export type Clock = { now(): number };

export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
export const realClock: Clock = { now: () => Date.now() };
