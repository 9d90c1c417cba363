import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** What the receiver answers one request with. */
export type Reply = { status: number; delayMs?: number; headers?: Record<string, string>; body?: string };

export type Received = { path: string; headers: Record<string, string>; raw: string; at: number };

export type Receiver = {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  port: number;
  /** Every request, by path. */
  received(path: string): Received[];
  /** Queues replies for a path, one per request, in order; once used up the path answers 200. */
  script(path: string, ...replies: Reply[]): void;
  close(): Promise<void>;
};

/** A webhook receiver on 127.0.0.1 answering each path from its own script. */
export async function startReceiver(): Promise<Receiver> {
  const scripts = new Map<string, Reply[]>();
  const log = new Map<string, Received[]>();
  const timers = new Set<NodeJS.Timeout>();

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const path = req.url ?? "/";
    const headers = Object.fromEntries(
      Object.entries(req.headers).map(([name, value]) => [
        name,
        Array.isArray(value) ? value.join(", ") : (value ?? ""),
      ]),
    );
    const list = log.get(path) ?? [];
    list.push({ path, headers, raw: Buffer.concat(chunks).toString("utf8"), at: Date.now() });
    log.set(path, list);
    const reply = scripts.get(path)?.shift() ?? { status: 200, body: "ok" };
    if (reply.delayMs) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, reply.delayMs);
        timers.add(timer);
        res.on("close", () => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    if (res.destroyed) return;
    res.writeHead(reply.status, { "content-type": "text/plain", ...reply.headers });
    res.end(reply.body ?? "");
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    received: (path) => log.get(path) ?? [],
    script(path, ...replies) {
      scripts.set(path, [...(scripts.get(path) ?? []), ...replies]);
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
