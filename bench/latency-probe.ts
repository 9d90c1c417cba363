import { Worker } from "node:worker_threads";

/**
 * What a probe sends: a fixed request, or (for `POST /v1/events`) one event per request for an
 * account in turn (`acct-0` … `acct-{accounts-1}`), stamped with the bench's clock.
 */
export type ProbeRequest =
  | { kind: "get"; headers: Record<string, string> }
  | { kind: "events"; apiKey: string; accounts: number; clockOffsetMs: number; idPrefix: string };

export type ProbeResult = { latencies: number[]; failures: number };

/*
 * The probe runs in a thread of its own: in the bench's main thread, a response that arrived on
 * time would wait for the drafting or render job that thread is running, and the latency measured
 * would be the bench's own event loop, not the service's answer. Plain JavaScript, so the thread
 * needs no TypeScript loader.
 */
const PROBE_THREAD = `
const { parentPort, workerData } = require("node:worker_threads");
const { url, request, expect, rate } = workerData;
const latencies = [];
let failures = 0;
let inFlight = 0;
let sent = 0;
function init() {
  if (request.kind === "get") return { headers: request.headers, redirect: "manual" };
  const n = sent;
  return {
    method: "POST",
    redirect: "manual",
    headers: { authorization: "Bearer " + request.apiKey, "content-type": "application/json" },
    body: JSON.stringify({
      events: [{
        account: "acct-" + (n % request.accounts),
        event: "automation.run",
        occurred_at: new Date(Date.now() - request.clockOffsetMs).toISOString(),
        event_id: request.idPrefix + "-" + n,
      }],
    }),
  };
}
const timer = setInterval(() => {
  const options = init();
  sent++;
  const started = performance.now();
  inFlight++;
  fetch(url, options)
    .then(async (response) => {
      await response.arrayBuffer();
      if (response.status !== expect) failures++;
      latencies.push(performance.now() - started);
    })
    .catch(() => failures++)
    .finally(() => inFlight--);
}, 1000 / Math.max(rate, 0.001));
parentPort.on("message", async () => {
  clearInterval(timer);
  while (inFlight > 0) await new Promise((resolve) => setTimeout(resolve, 10));
  parentPort.postMessage({ latencies, failures });
});
`;

/**
 * Requests to `url` at `rate` a second whatever the answers' speed (an open loop), each one's
 * latency kept, from a thread of its own. `stop()` waits for the requests in flight.
 */
export function startProbe(url: string, request: ProbeRequest, expect: number, rate: number) {
  const worker = new Worker(PROBE_THREAD, { eval: true, workerData: { url, request, expect, rate } });
  return {
    async stop(): Promise<ProbeResult> {
      const result = new Promise<ProbeResult>((resolve, reject) => {
        worker.once("message", resolve);
        worker.once("error", reject);
      });
      worker.postMessage("stop");
      const answer = await result;
      await worker.terminate();
      return answer;
    },
  };
}
