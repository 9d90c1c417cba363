import type postgres from "postgres";
import type { Clock } from "../platform/clock.js";
import type { Logger } from "../platform/logging.js";
import type { RecapReaction } from "../recaps/recap-reactions.js";

/** The channel the database's triggers notify when a published recap's assets may stop being public. */
export const PUBLIC_ASSET_CHANNEL = "public_asset_verdicts";

/**
 * Which public asset keys this process has just seen shown by a published recap, so a repeated
 * public card skips the state query as well as the byte read (a viral card then costs what
 * `/healthz` costs). Only "public" is remembered: a refusal always asks the database again.
 *
 * A take-down has to hold at once on every instance, so a remembered verdict is only trusted
 * while this process listens to the database: triggers on `recaps` and `recap_assets`
 * (migration `public_asset_verdicts`) notify PUBLIC_ASSET_CHANNEL whenever a published recap
 * changes state or version, is deleted, or loses an asset row, whoever wrote it, and every
 * listening process forgets all its verdicts. The process making the change forgets them inside
 * the change's transaction too (`forgetVerdictsOnChange`), so its own next request never waits
 * for the notification. Until the first LISTEN is confirmed and once a verdict is `maxAgeMs` old,
 * the database is asked; a reconnection forgets everything. The age bounds what this process can
 * miss while its listening connection is down and not yet re-established.
 */
export type PublicVerdicts = {
  /** True when this process may serve `key` without asking the database. */
  isPublic(key: string): boolean;
  /** A database check found `key` public; `checkedAt` is `generation()` read before the check. */
  remember(key: string, checkedAt: number): void;
  /** Read before a database check, so a clear during the check keeps its answer out. */
  generation(): number;
  /** Forgets every verdict (a notification, a take-down in this process). */
  clear(): void;
  /** Drops keys (an erasure through the cache registry). */
  forget(keys: readonly string[]): void;
  /** Resolves once this process listens (tests); starts listening if nothing has yet. */
  listening(): Promise<void>;
  /** Resolves at the next clear caused by a notification (tests of a second instance). */
  nextNotification(): Promise<void>;
  stop(): Promise<void>;
  readonly size: number;
};

export function createPublicVerdicts(options: {
  sql: postgres.Sql;
  clock: Clock;
  log: Logger;
  /** How long a verdict is trusted; 0 turns the memory off (every request asks the database). */
  maxAgeMs: number;
  maxEntries?: number;
}): PublicVerdicts {
  const { clock, log, maxAgeMs, maxEntries = 10_000 } = options;
  const verdicts = new Map<string, number>();
  let generation = 0;
  let listen: Promise<void> | undefined;
  let confirmed = false;
  let waiting: (() => void)[] = [];
  let unlisten: (() => Promise<void>) | undefined;

  const clear = () => {
    verdicts.clear();
    generation++;
  };
  // postgres.js listens on a connection of its own, opened on the first public request (workers
  // and commands never open it), and listens again after a reconnection.
  const start = () => {
    listen ??= options.sql
      .listen(
        PUBLIC_ASSET_CHANNEL,
        () => {
          clear();
          for (const resolve of waiting) resolve();
          waiting = [];
        },
        // The first LISTEN and every one after a reconnection: what was missed in between is
        // unknown, so nothing remembered before it is trusted.
        () => {
          clear();
          confirmed = true;
        },
      )
      .then((meta) => {
        unlisten = meta.unlisten;
      })
      .catch((error: unknown) => {
        log.warn({ err: error }, "listening for public asset changes failed; every request asks the database");
        listen = undefined;
      });
    return listen;
  };

  return {
    isPublic(key) {
      if (maxAgeMs <= 0) return false;
      if (!confirmed) {
        void start();
        return false;
      }
      const at = verdicts.get(key);
      if (at === undefined) return false;
      if (clock.now().getTime() - at >= maxAgeMs) {
        verdicts.delete(key);
        return false;
      }
      return true;
    },
    remember(key, checkedAt) {
      if (maxAgeMs <= 0 || !confirmed || checkedAt !== generation) return;
      // Oldest first out: a Map keeps insertion order.
      if (verdicts.size >= maxEntries) verdicts.delete(verdicts.keys().next().value as string);
      verdicts.set(key, clock.now().getTime());
    },
    generation: () => generation,
    clear,
    forget(keys) {
      for (const key of keys) verdicts.delete(key);
      generation++;
    },
    async listening() {
      if (maxAgeMs > 0) await start();
    },
    nextNotification: () => new Promise<void>((resolve) => waiting.push(resolve)),
    async stop() {
      confirmed = false;
      await unlisten?.().catch(() => {});
    },
    get size() {
      return verdicts.size;
    },
  };
}

/**
 * A reaction of this process's own recap changes: a published recap taken down, re-versioned
 * (numbers hidden) or archived stops being served by this instance before the change commits.
 */
export function forgetVerdictsOnChange(verdicts: Pick<PublicVerdicts, "clear">): RecapReaction {
  return async (_deps, _tx, { previousState }) => {
    if (previousState === "published") verdicts.clear();
  };
}
