// One harness for the end-to-end chat tests: the real service started for a test file (shipped or
// imported catalog, pinned clock, wide deadlines), the demo customers signed in with their own
// claims from data/store/customers.json, and conversations played over the WebSocket.
import { after, before } from 'node:test';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { startTestServer, type TestServer } from './server.ts';
import { cardedSeries, cardedVolumes, connectChat, replyText, type ChatClient, type Frame } from './ws-client.ts';
import { pinClock, SUITE_NOW } from '../../bench/conversations/clock.ts';
import { WIDE_DEADLINES, readingsLoaded, seedThenImport } from '../../bench/conversations/player.ts';
import type { createApp } from '../../src/app.ts';

const ROOT = resolve(import.meta.dirname, '../..');

/** The claims a customer's JWT carries, as the service signs them (src/app.ts signToken). */
export interface Claims {
  sub: string;
  tier: 'member' | 'prime';
  name?: string;
  age_verified?: boolean;
}

let demo: Map<string, Claims> | undefined;

/** The claims of a demo customer of data/store/customers.json (its tier, name and confirmed age); throws for an unknown id. */
export function demoClaims(id: string): Claims {
  demo ??= new Map(
    (JSON.parse(readFileSync(join(ROOT, 'data', 'store', 'customers.json'), 'utf8')) as { id: string; name: string; tier: 'member' | 'prime'; ageConfirmed: boolean }[]).map((c) => [
      c.id,
      { sub: c.id, tier: c.tier, name: c.name, age_verified: c.ageConfirmed },
    ]),
  );
  const claims = demo.get(id);
  if (!claims) throw new Error(`no demo customer ${id} in data/store/customers.json`);
  return claims;
}

/**
 * Who chats: a guest (`undefined` or 'guest'), a demo customer by id (signed in with their own
 * claims), or a demo customer with some claims said otherwise ({ sub, age_verified: false }) where
 * a test is about that claim.
 */
export type Who = string | undefined | (Partial<Claims> & { sub: string });

/** One reply as a test reads it. */
export interface Reply {
  /** Every frame of the reply, `start` to `end` (or `error`). */
  frames: Frame[];
  /** The streamed text (the `token` frames joined). */
  text: string;
  /** The cards in the order shown, as '<seriesId> v<volume>'. */
  cards: string[];
  /** The series carded, each once, in the order shown. */
  series: string[];
  /** The `start` frame's intent (undefined when the reply is an error). */
  intent: string | undefined;
  /** The `end` frame, or undefined when the reply ended in an error. */
  end: Frame | undefined;
}

/** A reply read from its frames. */
export function replyOf(frames: Frame[]): Reply {
  return {
    frames,
    text: replyText(frames),
    cards: cardedVolumes(frames),
    series: cardedSeries(frames),
    intent: frames.find((f) => f.type === 'start')?.intent as string | undefined,
    end: frames.find((f) => f.type === 'end'),
  };
}

/** A WebSocket chat of a test: the raw client (`ask` returns frames) and `say`, which returns the reply read. */
export interface Conversation extends ChatClient {
  /** Sends `text` and resolves with its whole reply. */
  say(text: string): Promise<Reply>;
}

/** How a test file's service is started. */
export interface ServiceOptions {
  /** 'shipped' (default): the embedded catalog; 'imported': seeded, then the MAL CSV imported by `runImport` (what an operator does). */
  catalog?: 'shipped' | 'imported';
  /** Pins the process clock to this instant for the file (true: the conversation suite's day, SUITE_NOW). */
  clock?: string | true;
  /** Loads the reading dictionary in its worker and waits for it before the first test (kanji titles of imports). */
  readings?: boolean;
  /** Config variables over the defaults (the conversation suite's wide deadlines, unless `wideDeadlines` is false). */
  env?: Record<string, string>;
  /** The suite's wide deadlines, so a busy machine's timing is never what is judged (default true). */
  wideDeadlines?: boolean;
  /** Logs at debug level into the service's `logs` (what a test says is never logged is looked for there). */
  logs?: boolean;
  /** createApp's io. */
  io?: Parameters<typeof createApp>[1];
}

/** The service of a test file: valid from its `before` hook to its `after` hook. */
export interface ChatService {
  /** The running server (throws before the file's `before` hook ran). */
  readonly server: TestServer;
  /** The log lines written so far, when started with `logs: true`. */
  readonly logs: string[];
  /** A JWT for `who`, or undefined for a guest. */
  token(who: Who): Promise<string | undefined>;
  /** Opens a chat as `who`; closed by the caller, or at the latest when the file ends. */
  open(who?: Who): Promise<Conversation>;
  /** Runs `play` in a new chat as `who`, and closes it however `play` ends. */
  withChat<T>(who: Who, play: (c: Conversation) => Promise<T>): Promise<T>;
  /** Plays `turns` in order in one new chat as `who`; resolves with each reply. */
  chat(who: Who, turns: string[]): Promise<Reply[]>;
  /** POST /v1/chat of `text` as `who` (a new session); throws unless it answers 200; resolves with the body. */
  post(who: Who, text: string): Promise<{ intent: string; text: string } & Record<string, unknown>>;
}

/** Starts the service (see ServiceOptions) and returns it with a stop that also removes its data; with `logs`, its log lines go into `logs`. */
export async function startChatService(opts: ServiceOptions = {}, logs: string[] = []): Promise<TestServer> {
  const dataDir = mkdtempSync(join(tmpdir(), `manga-assist-${opts.catalog ?? 'shipped'}-`));
  try {
    if (opts.catalog === 'imported') await seedThenImport(dataDir);
    const env = { ...(opts.wideDeadlines === false ? {} : WIDE_DEADLINES), ...(opts.readings ? { READING_DICTIONARY: 'worker' } : {}), ...(opts.logs ? { LOG_LEVEL: 'debug' } : {}), ...opts.env, DATA_DIR: dataDir };
    const server = await startTestServer(env, opts.logs ? { logDestination: into(logs), ...opts.io } : opts.io);
    if (opts.readings) await readingsLoaded(server.url);
    return {
      ...server,
      async close() {
        await server.close();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
}

/** A stream that appends each chunk written to `lines`. */
function into(lines: string[]): Writable {
  return new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
}

/**
 * The service of one test file (or of one describe, when called inside it): registers `before` (pin
 * the clock, start) and `after` (close every chat left open, stop, unpin) hooks where it is called.
 * The file's tests share the service, and each chat is a new session: nothing said in one test is
 * the context of another (see test/chat/intents).
 */
export function useChatService(opts: ServiceOptions = {}): ChatService {
  let server: TestServer | undefined;
  let unpin: (() => void) | undefined;
  const open = new Set<ChatClient>();
  const logs: string[] = [];
  before(async () => {
    if (opts.clock) unpin = pinClock(opts.clock === true ? SUITE_NOW : opts.clock);
    server = await startChatService(opts, logs);
  });
  after(async () => {
    await Promise.all([...open].map((c) => c.close()));
    await server?.close();
    unpin?.();
  });
  const running = (): TestServer => {
    if (!server) throw new Error('the chat service is not started (use it inside a test or hook)');
    return server;
  };
  const service: ChatService = {
    get server() {
      return running();
    },
    logs,
    async token(who) {
      if (who === undefined || who === 'guest') return undefined;
      const claims = typeof who === 'string' ? demoClaims(who) : { ...demoClaims(who.sub), ...who };
      return running().app.signToken(claims);
    },
    async open(who) {
      const token = await service.token(who);
      const client = await connectChat(running().wsUrl, token ? { token } : {});
      open.add(client);
      client.socket.once('close', () => open.delete(client));
      return Object.assign(client, { say: async (text: string) => replyOf(await client.ask(text)) });
    },
    async withChat(who, play) {
      const c = await service.open(who);
      try {
        return await play(c);
      } finally {
        await c.close();
      }
    },
    chat(who, turns) {
      return service.withChat(who, async (c) => {
        const out: Reply[] = [];
        for (const say of turns) out.push(await c.say(say));
        return out;
      });
    },
    async post(who, text) {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      const token = await service.token(who);
      if (token) headers.authorization = `Bearer ${token}`;
      const res = await fetch(`${running().url}/v1/chat`, { method: 'POST', headers, body: JSON.stringify({ text }) });
      const body = await res.text();
      if (res.status !== 200) throw new Error(`POST /v1/chat: ${res.status} ${body.slice(0, 200)}`);
      return JSON.parse(body);
    },
  };
  return service;
}
