import net from 'node:net';

/** A RESP2 simple-string reply ("OK", "PONG", "QUEUED"), kept apart from bulk strings because Upstash encodes them differently. */
export class RespStatus {
  constructor(readonly value: string) {}
}

export class RespError extends Error {}

export type RespValue = RespStatus | RespError | Buffer | number | null | RespValue[];

type Parsed = { value: RespValue; end: number } | undefined;

const CRLF = Buffer.from('\r\n');

function parse(buf: Buffer, start: number): Parsed {
  const lineEnd = buf.indexOf(CRLF, start);
  if (lineEnd < 0) return undefined;
  const line = buf.toString('utf8', start + 1, lineEnd);
  const next = lineEnd + 2;
  switch (buf[start]) {
    case 0x2b /* + */:
      return { value: new RespStatus(line), end: next };
    case 0x2d /* - */:
      return { value: new RespError(line), end: next };
    case 0x3a /* : */:
      return { value: Number(line), end: next };
    case 0x24 /* $ */: {
      const length = Number(line);
      if (length < 0) return { value: null, end: next };
      if (buf.length < next + length + 2) return undefined;
      return { value: buf.subarray(next, next + length), end: next + length + 2 };
    }
    case 0x2a /* * */: {
      const count = Number(line);
      if (count < 0) return { value: null, end: next };
      const items: RespValue[] = [];
      let offset = next;
      for (let i = 0; i < count; i++) {
        const item = parse(buf, offset);
        if (!item) return undefined;
        items.push(item.value);
        offset = item.end;
      }
      return { value: items, end: offset };
    }
    default:
      throw new Error(`RESP protocol error: unexpected byte ${buf[start]}`);
  }
}

function encode(args: readonly (string | Buffer)[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`)];
  for (const arg of args) {
    const bytes = typeof arg === 'string' ? Buffer.from(arg) : arg;
    parts.push(Buffer.from(`$${bytes.length}\r\n`), bytes, CRLF);
  }
  return Buffer.concat(parts);
}

interface Pending {
  resolve: (value: RespValue) => void;
  reject: (error: Error) => void;
}

/** One Redis connection; replies arrive in command order, so pipelining is a FIFO of pending promises. */
export class RespConnection {
  private buffer: Buffer = Buffer.alloc(0);
  private readonly pending: Pending[] = [];
  private failure: Error | undefined;
  /** Replies nobody waits for: messages pushed to a connection in SUBSCRIBE mode. */
  onPush: ((value: RespValue) => void) | undefined;

  private constructor(private readonly socket: net.Socket) {
    socket.on('data', (chunk) => this.onData(chunk));
    socket.on('error', (error) => this.fail(error));
    socket.on('close', () => this.fail(new Error('Redis connection closed')));
  }

  static connect(host: string, port: number): Promise<RespConnection> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host, port });
      socket.setNoDelay(true);
      socket.once('connect', () => {
        socket.off('error', reject);
        resolve(new RespConnection(socket));
      });
      socket.once('error', reject);
    });
  }

  get healthy(): boolean {
    return this.failure === undefined;
  }

  command(args: readonly (string | Buffer)[]): Promise<RespValue> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.pending.push({ resolve, reject });
      this.socket.write(encode(args));
    });
  }

  /** Sends every command in one write and resolves with the replies in order. */
  pipeline(commands: readonly (readonly (string | Buffer)[])[]): Promise<RespValue[]> {
    if (this.failure) return Promise.reject(this.failure);
    const replies = commands.map(
      () => new Promise<RespValue>((resolve, reject) => this.pending.push({ resolve, reject })),
    );
    this.socket.write(Buffer.concat(commands.map(encode)));
    return Promise.all(replies);
  }

  close(): void {
    this.socket.end();
  }

  private onData(chunk: Buffer): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    let offset = 0;
    for (;;) {
      let parsed: Parsed;
      try {
        parsed = parse(this.buffer, offset);
      } catch (error) {
        this.fail(error as Error);
        this.socket.destroy();
        return;
      }
      if (!parsed) break;
      offset = parsed.end;
      const waiter = this.pending.shift();
      if (waiter) waiter.resolve(parsed.value);
      else this.onPush?.(parsed.value);
      if (offset === this.buffer.length) break;
    }
    this.buffer = this.buffer.subarray(offset);
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const waiter of this.pending.splice(0)) waiter.reject(error);
  }
}

/** Idle connections are reused; a request keeps its connection to itself (MULTI/EXEC and blocking commands need that). */
export class RespPool {
  private readonly idle: RespConnection[] = [];

  constructor(
    private readonly host: string,
    private readonly port: number,
    private readonly maxIdle = 16,
  ) {}

  async use<T>(work: (connection: RespConnection) => Promise<T>): Promise<T> {
    let connection = this.idle.pop();
    while (connection && !connection.healthy) connection = this.idle.pop();
    connection ??= await RespConnection.connect(this.host, this.port);
    let reusable = false;
    try {
      const result = await work(connection);
      reusable = true;
      return result;
    } finally {
      // After a failure the connection may sit inside MULTI or hold unread replies: never hand it out again.
      if (reusable && connection.healthy && this.idle.length < this.maxIdle) this.idle.push(connection);
      else connection.close();
    }
  }

  close(): void {
    for (const connection of this.idle.splice(0)) connection.close();
  }
}
