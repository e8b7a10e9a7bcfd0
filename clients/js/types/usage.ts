// Compiled by `npm run typecheck` (tsc --noEmit), never run: an application's use of the public
// API, imported through the package's own name so that package.json's "exports" → "types" is
// what resolves. Each @ts-expect-error line is a misuse the types must refuse.

import {
  Backoff, ParleyClient, ParleyError, Rest, newClientId,
  type AckFrame, type ClientOptions, type HelloFrame, type MessageFrame, type PendingMessage,
  type ServerFrame, type State, type TokenChange, type TokenStore, type Tokens, type User,
} from '@parley/client';

class FakeSocket {}

const store: TokenStore = {
  access: () => 'access-token',
  refresh: async () => undefined,
  subscribe: (listener) => {
    listener();
    return () => undefined;
  },
  save: (t) => { void t.refresh.length; },
};

const options: ClientOptions = {
  url: 'http://127.0.0.1:8080',
  WebSocket: FakeSocket,
  tokenStore: store,
  threads: { t1: 3 },
  auth: 'ticket',
  backoff: { base: 500, max: 30_000 },
  refreshMargin: 60_000,
  ackTimeout: 20_000,
  requestTimeout: 15_000,
  beforeSync: async (hello: HelloFrame) => { client.track(hello.user.id, 0); },
};

const client = new ParleyClient(options);
const saved: Tokens = { access: 'a', refresh: 'r', expiresIn: 900 };
new ParleyClient({ url: 'http://127.0.0.1:8080', tokens: saved, auth: 'header' });

// events: the listener's argument is the event's own type
const offMessage: () => void = client.on('message', (m: MessageFrame) => { void m.body?.length; });
offMessage();
client.on('state', (s: State) => { if (s === 'ready') void client.hello; });
client.on('tokens', (t: TokenChange) => { void t.expiresAt; });
client.on('outbox', (pending: PendingMessage[]) => { void pending.map((p) => p.clientId); });
client.on('closed', ({ code, error }) => { void code; void error.code; });
client.on('frame', (f: ServerFrame) => { void f.type; });
client.on('something-else', (detail) => { void detail; });
// @ts-expect-error a state is a string, not a number
client.on('state', (s: number) => { void s; });
// @ts-expect-error no such state
const wrong: State = 'connected';
void wrong;

async function session(): Promise<void> {
  const user: User = await client.register('alice', 'password123', 'Alice');
  const tokens: Tokens = await client.login(user.username, 'password123');
  void tokens.access;
  await client.refresh();
  const hello: HelloFrame = await client.connect();
  void hello.heartbeat;
  const ack: AckFrame = await client.send('t1', 'hi', { clientId: newClientId(), attachments: ['a1'], replyTo: 1 });
  const seq: number = ack.seq;
  void seq;
  // @ts-expect-error a body is a string
  await client.send('t1', 42);
  const answer = await client.request<{ type: 'ack'; seq: number }>({ type: 'edit', thread: 't1', target: 1, body: 'x' }, { timeout: 5_000 });
  void answer.seq;
  const sent: boolean = client.notify({ type: 'typing', thread: 't1' }) && client.typing('t1');
  void sent;
  await client.read('t1', 3);
  const presence = await client.presence([user.id]);
  void presence.users[user.id];
  const list = await client.api<{ threads: unknown[] }>('GET', '/api/threads');
  void list.threads;
  client.track('t1', 3);
  client.untrack('t2');
  const seen: Record<string, number> = client.seen();
  void seen;
  const pending: PendingMessage[] = client.pendingMessages();
  const cancelled: boolean = client.cancel(pending[0]?.clientId ?? '');
  void cancelled;
  void client.accessToken;
  client.disconnect();
  client.reconnectNow();
  client.drop('testing');
  client.close();
}
void session;

try {
  throw new ParleyError('forbidden', 'no', { status: 403 });
} catch (e) {
  if (e instanceof ParleyError) {
    const code: string = e.code;
    const status: number | undefined = e.status;
    void code;
    void status;
  }
}

const rest = new Rest('http://127.0.0.1:8080');
void rest.baseUrl;
void rest.ticket('access').then((ticket: string) => ticket.length);
void rest.login('alice', 'password123').then((t) => t.refresh.length);

const backoff = new Backoff({ base: 100 });
const delay: number = backoff.next();
void delay;
backoff.reset();
