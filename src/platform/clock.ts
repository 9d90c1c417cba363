/** Time as a dependency, so tests can fix "now" without touching globals. */
export type Clock = { now(): Date };

export const systemClock: Clock = { now: () => new Date() };

export function fixedClock(at: Date): Clock & { set(next: Date): void } {
  let current = at;
  return {
    now: () => new Date(current),
    set: (next) => {
      current = next;
    },
  };
}
