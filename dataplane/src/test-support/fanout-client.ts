import WebSocket from 'ws';

/** A dashboard socket that records every message, with a promise for the next one of a type. */
export interface TestSocket {
  socket: WebSocket;
  messages: { type: string; widget_ids?: string[]; at: number }[];
  next(type: string, timeoutMs?: number): Promise<{ type: string; widget_ids?: string[]; at: number }>;
  close(): void;
}

export function connectDashboard(url: string, headers: Record<string, string> = {}): Promise<TestSocket> {
  const socket = new WebSocket(url, { headers });
  const messages: TestSocket['messages'] = [];
  const waiters: { type: string; resolve: (m: TestSocket['messages'][number]) => void }[] = [];
  socket.on('message', (data) => {
    const message = { ...(JSON.parse(data.toString()) as { type: string }), at: performance.now() };
    messages.push(message);
    for (const w of waiters.filter((w) => w.type === message.type)) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(message);
    }
  });
  const client: TestSocket = {
    socket,
    messages,
    next(type, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no "${type}" message within ${timeoutMs} ms`)),
          timeoutMs,
        );
        waiters.push({
          type,
          resolve: (m) => {
            clearTimeout(timer);
            resolve(m);
          },
        });
      });
    },
    close: () => socket.terminate(),
  };
  return new Promise((resolve, reject) => {
    const ready = client.next('ready');
    socket.once('unexpected-response', (_req, res) =>
      reject(new Error(`upgrade refused: ${res.statusCode}`)),
    );
    socket.once('error', reject);
    ready.then(() => resolve(client), reject);
  });
}
