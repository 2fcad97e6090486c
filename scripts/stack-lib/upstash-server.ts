// Upstash-REST-compatible HTTP server over the local Redis, so `@upstash/redis` runs unmodified against the stack.
import { createHash } from 'node:crypto';
import http from 'node:http';
import { RespError, RespPool, RespStatus, type RespValue } from './resp.ts';
import { PORTS, STACK_HOST, UPSTASH_TOKEN } from './services.ts';

type Command = string[];
type Reply = { result: unknown } | { error: string };

const pool = new RespPool(STACK_HOST, Number(process.env['REDIS_PORT'] ?? PORTS.redis));

class BadRequest extends Error {}

/**
 * Upstash's JSON mapping of RESP. With `Upstash-Encoding: base64` the client base64-decodes every string except a
 * top-level "OK", so every other string (bulk or status, at any depth) is sent encoded.
 */
function toJson(value: RespValue, base64: boolean, topLevel: boolean): unknown {
  if (value === null || typeof value === 'number') return value;
  if (value instanceof RespStatus) {
    return base64 && !(topLevel && value.value === 'OK')
      ? Buffer.from(value.value).toString('base64')
      : value.value;
  }
  if (value instanceof RespError) return value.message;
  if (Buffer.isBuffer(value)) return base64 ? value.toString('base64') : value.toString('utf8');
  return value.map((item) => toJson(item, base64, false));
}

function toReply(value: RespValue, base64: boolean): Reply {
  return value instanceof RespError ? { error: value.message } : { result: toJson(value, base64, true) };
}

function asCommand(raw: unknown): Command {
  if (!Array.isArray(raw) || raw.length === 0)
    throw new BadRequest('ERR command must be a non-empty JSON array');
  return withoutUpstashFlags(raw.map((arg) => (typeof arg === 'string' ? arg : JSON.stringify(arg))));
}

const UPSTASH_FLAGS = '#!lua flags=allow-key-locking';
const sha1 = (text: string) => createHash('sha1').update(text).digest('hex');
/** The client's SHA of a flagged script → the SHA Redis knows the script by once the flag is gone. */
const strippedShas = new Map<string, string>();

/**
 * Upstash accepts its own script flag `#!lua flags=allow-key-locking` (`@upstash/ratelimit` sends it); Redis 7.0 refuses
 * it, so scripts run without it here. The client's EVALSHA names the flagged script's SHA: it is mapped to the stripped
 * script's, so a rate limit costs one EVALSHA as on Upstash instead of a NOSCRIPT and an EVAL every time.
 */
function withoutUpstashFlags(command: Command): Command {
  const name = command[0]!.toUpperCase();
  if (name === 'EVALSHA') {
    const known = strippedShas.get(command[1]?.toLowerCase() ?? '');
    return known ? [command[0]!, known, ...command.slice(2)] : command;
  }
  const at = name === 'EVAL' ? 1 : name === 'SCRIPT' && command[1]?.toUpperCase() === 'LOAD' ? 2 : -1;
  const script = command[at];
  if (script === undefined || !script.startsWith(UPSTASH_FLAGS)) return command;
  const copy = [...command];
  copy[at] = script.replace(UPSTASH_FLAGS, '#!lua');
  strippedShas.set(sha1(script), sha1(copy[at]));
  return copy;
}

function asCommands(raw: unknown): Command[] {
  if (!Array.isArray(raw) || raw.length === 0)
    throw new BadRequest('ERR pipeline must be a non-empty JSON array of commands');
  return raw.map(asCommand);
}

async function readBody(req: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new BadRequest('ERR failed to parse the request body as JSON');
  }
}

function authorized(req: http.IncomingMessage, url: URL): boolean {
  const header = req.headers.authorization ?? '';
  const token = header.startsWith('Bearer ')
    ? header.slice('Bearer '.length)
    : url.searchParams.get('_token');
  return token === UPSTASH_TOKEN;
}

async function handle(
  req: http.IncomingMessage,
  url: URL,
  base64: boolean,
): Promise<{ status: number; body: unknown }> {
  const text = await readBody(req);
  if (url.pathname === '/pipeline') {
    const commands = asCommands(parseJson(text));
    const replies = await pool.use((redis) => redis.pipeline(commands));
    return { status: 200, body: replies.map((reply) => toReply(reply, base64)) };
  }
  if (url.pathname === '/multi-exec') {
    const commands = asCommands(parseJson(text));
    const replies = await pool.use((redis) => redis.pipeline([['MULTI'], ...commands, ['EXEC']]));
    const queued = replies.slice(1, -1).find((reply) => reply instanceof RespError);
    const exec = replies[replies.length - 1] ?? null;
    if (queued instanceof RespError) return { status: 400, body: { error: queued.message } };
    if (exec instanceof RespError) return { status: 400, body: { error: exec.message } };
    if (!Array.isArray(exec)) return { status: 400, body: { error: 'EXECABORT Transaction discarded' } };
    return { status: 200, body: exec.map((reply) => toReply(reply, base64)) };
  }
  // `POST /` carries the command as a JSON array; `/set/key/value` spells it in the path, a body being the last argument.
  const command =
    url.pathname === '/'
      ? asCommand(parseJson(text))
      : [...url.pathname.slice(1).split('/').map(decodeURIComponent), ...(text ? [text] : [])];
  const reply = await pool.use((redis) => redis.command(command));
  return { status: reply instanceof RespError ? 400 : 200, body: toReply(reply, base64) };
}

const server = http.createServer((req, res) => {
  const url = new URL(req.url ?? '/', `http://${req.headers.host ?? STACK_HOST}`);
  const send = (status: number, body: unknown): void => {
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };
  if (!authorized(req, url)) {
    send(401, { error: 'Unauthorized' });
    return;
  }
  const base64 = String(req.headers['upstash-encoding'] ?? '').toLowerCase() === 'base64';
  handle(req, url, base64).then(
    ({ status, body }) => send(status, body),
    (error: Error) => send(error instanceof BadRequest ? 400 : 500, { error: error.message }),
  );
});

const port = Number(process.env['UPSTASH_PORT'] ?? PORTS.upstash);
server.listen(port, STACK_HOST, () => console.log(`upstash-compatible REST on http://${STACK_HOST}:${port}`));

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    pool.close();
    server.close(() => process.exit(0));
    server.closeAllConnections();
  });
}
