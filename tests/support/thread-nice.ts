import { readdirSync, readFileSync } from "node:fs";

/**
 * Every thread of this process with its name and nice value (Linux /proc; an OS priority is per
 * thread there): field 19 of /proc/self/task/<tid>/stat, counted after the thread's name. Node's
 * worker threads are named "WorkerThread", libuv's I/O pool "libuv-worker".
 */
export function threadPriorities(): { name: string; nice: number }[] {
  return readdirSync("/proc/self/task").map((tid) => {
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return { name: readFileSync(`/proc/self/task/${tid}/comm`, "utf8").trim(), nice: Number(fields[16]) };
  });
}

/** How many worker threads run at `nice`, and whether anything else of the process was lowered with them. */
export function loweredThreads(nice: number): { workers: number; others: string[] } {
  const lowered = threadPriorities().filter((thread) => thread.nice === nice);
  return {
    workers: lowered.filter((thread) => thread.name === "WorkerThread").length,
    // The main thread and libuv's I/O pool must keep their priority (native helpers a worker
    // starts for its own rendering may share the worker's).
    others: lowered.map((thread) => thread.name).filter((name) => name === "MainThread" || name === "libuv-worker"),
  };
}
