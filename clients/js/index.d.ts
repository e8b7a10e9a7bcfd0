// Types for @parley/client (hand-written; the code is plain JavaScript in src/).

export type ErrorCode =
  | 'bad_request' | 'unauthorized' | 'forbidden' | 'not_found' | 'conflict' | 'too_large'
  | 'rate_limited' | 'unavailable' | 'internal'
  | 'closed' | 'timeout' | 'cancelled' | 'network';

export class ParleyError extends Error {
  constructor(code: string, message?: string, details?: { status?: number; frame?: object });
  readonly code: ErrorCode | string;
  /** HTTP status, for REST errors. */
  readonly status?: number;
  /** The error frame, for WebSocket errors. */
  readonly frame?: ErrorFrame;
}

export interface Tokens {
  access: string;
  refresh?: string;
  /** Seconds, as the server gives it. */
  expiresIn?: number;
}

export interface TokenChange {
  access: string;
  refresh: string | undefined;
  /** Epoch ms. */
  expiresAt: number | undefined;
}

export interface User {
  id: string;
  username: string;
  displayName: string;
  /** Same-origin path of the user's picture (`/api/users/{id}/avatar/{version}`), absent when none. */
  avatar?: string;
}

export interface Thread {
  id: string;
  kind: 'direct' | 'group';
  title?: string;
  members: User[];
  createdAt: number;
  lastSeq: number;
  [field: string]: unknown;
}

export interface HelloFrame {
  type: 'hello';
  user: User;
  node: string;
  heartbeat: number;
  expiresAt: number;
}

export interface AckFrame {
  type: 'ack';
  id: string;
  thread: string;
  seq: number;
  messageId?: string;
  ts?: number;
  [field: string]: unknown;
}

export interface ErrorFrame {
  type: 'error';
  id?: string;
  code: string;
  message: string;
}

export interface MessageFrame {
  type: 'message';
  id: string;
  thread: string;
  seq: number;
  sender: string;
  body?: string;
  ts: number;
  clientId?: string;
  attachments?: object[];
  replyTo?: number;
  deleted?: boolean;
  [field: string]: unknown;
}

export interface EditedFrame { type: 'edited'; thread: string; seq: number; target: number; user: string; body?: string; ts: number }
export interface DeletedFrame { type: 'deleted'; thread: string; seq: number; target: number; user: string; ts: number }
export interface ReactionFrame { type: 'reaction'; thread: string; seq: number; target: number; user: string; emoji: string; on: boolean; ts: number }
export interface TypingFrame { type: 'typing'; thread: string; user: string }
export interface ReadFrame { type: 'read'; thread: string; user: string; seq: number }
export interface PresenceFrame { type: 'presence'; user: string; status: 'online' | 'offline' }
export interface ThreadFrame { type: 'thread'; thread: Thread }
export interface RemovedFrame { type: 'removed'; thread: string }

export type ServerFrame =
  | MessageFrame | EditedFrame | DeletedFrame | ReactionFrame | TypingFrame | ReadFrame
  | PresenceFrame | ThreadFrame | RemovedFrame | ErrorFrame
  | { type: string; [field: string]: unknown };

export type State = 'idle' | 'connecting' | 'syncing' | 'ready' | 'reconnecting' | 'closed';

export interface PendingMessage {
  clientId: string;
  thread: string;
  body: string;
  attachments?: string[];
  replyTo?: number;
}

export interface ClientEvents {
  message: MessageFrame;
  edited: EditedFrame;
  deleted: DeletedFrame;
  reaction: ReactionFrame;
  typing: TypingFrame;
  read: ReadFrame;
  presence: PresenceFrame;
  thread: ThreadFrame;
  removed: RemovedFrame;
  /** An error frame that answers no request of ours. */
  error: ErrorFrame;
  /** Every unprompted frame, after its own event. */
  frame: ServerFrame;
  hello: HelloFrame;
  /** Connected and synced: the outbox is being flushed. */
  synced: HelloFrame;
  state: State;
  tokens: TokenChange;
  outbox: PendingMessage[];
  disconnected: { code: number; reason: string };
  /** The client closed for good. */
  closed: { code?: number; error: ParleyError };
}

export interface BackoffOptions {
  /** First delay in ms (default 500). */
  base?: number;
  /** Cap in ms (default 30000). */
  max?: number;
}

/**
 * Tokens kept by the application (for example in localStorage, shared between tabs, refreshed
 * on its own schedule). The client asks it for the access token, asks it to refresh after the
 * server refused that token, and hands every new access token it reports to the open connection
 * in band.
 */
export interface TokenStore {
  /** The current access token; none when signed out. */
  access(): string | null | undefined;
  /** A new pair; rejects with `code: 'unauthorized'` or `status: 401` when the session is over. */
  refresh(): Promise<unknown>;
  /** Calls `listener` whenever the access token changes; returns a function that stops it. */
  subscribe?(listener: () => void): () => void;
  /** Keeps the tokens of a `login()` made through the client. */
  save?(tokens: Required<Tokens>): void;
}

export interface ClientOptions {
  /** The server's base URL, `http(s)://host:port`. */
  url: string;
  /** A WHATWG-style WebSocket class; default `globalThis.WebSocket` (in Node 20 pass `ws`). */
  WebSocket?: unknown;
  fetch?: typeof fetch;
  tokens?: Tokens;
  /** Last seen seq per thread, synced from on every connect. */
  threads?: Record<string, number>;
  /** `ticket` (default, works in browsers) or `header` (needs a class like `ws`). */
  auth?: 'ticket' | 'header';
  backoff?: BackoffOptions;
  /** Refresh this many ms before expiry, at most a third of the token's life (default 60000). */
  refreshMargin?: number;
  /** Ms to wait for a send's ack before reconnecting (default 20000). */
  ackTimeout?: number;
  /** Ms to wait for other answers (default 15000). */
  requestTimeout?: number;
  /** The application keeps the tokens (instead of `tokens`). */
  tokenStore?: TokenStore;
  /**
   * Awaited after every `hello`, before the sync: reload the application's state and
   * `track()` / `untrack()` threads here. A rejection drops the socket and reconnects.
   */
  beforeSync?(hello: HelloFrame): Promise<void> | void;
}

export interface SendOptions {
  /** Default: a fresh UUID. Reuse one to resend a message saved from an earlier session. */
  clientId?: string;
  /** Attachment ids from `POST /api/attachments`. */
  attachments?: string[];
  replyTo?: number;
}

export class ParleyClient {
  constructor(options: ClientOptions);
  readonly state: State;
  readonly hello: HelloFrame | null;
  readonly accessToken: string | undefined;

  on<E extends keyof ClientEvents>(event: E, listener: (detail: ClientEvents[E]) => void): () => void;
  /** Any other event name (a server frame type of a later version): its frame, untyped. */
  on<E extends string>(event: E extends keyof ClientEvents ? never : E, listener: (detail: any) => void): () => void;
  off(event: string, listener: (detail: any) => void): void;

  register(username: string, password: string, displayName?: string): Promise<User>;
  login(username: string, password: string): Promise<Tokens>;
  refresh(): Promise<void>;
  /** A REST call with the current access token, refreshed once if refused. */
  api<T = any>(method: string, path: string, body?: unknown): Promise<T>;

  connect(): Promise<HelloFrame>;
  /** Offline until the next `connect()`; queued sends are kept and go out after it. */
  disconnect(): void;
  /** Waiting to reconnect: tries now, with the backoff reset (e.g. on a browser's `online`). */
  reconnectNow(): void;
  close(): void;
  /** Drops the socket as a network failure would; the client reconnects and syncs. */
  drop(reason?: string): void;

  track(threadId: string, seq?: number): void;
  untrack(threadId: string): void;
  seen(): Record<string, number>;

  send(threadId: string, body: string, opts?: SendOptions): Promise<AckFrame>;
  pendingMessages(): PendingMessage[];
  cancel(clientId: string): boolean;
  request<T = any>(frame: { type: string; [field: string]: unknown }, options?: { timeout?: number; id?: string }): Promise<T>;
  notify(frame: { type: string; [field: string]: unknown }): boolean;
  typing(threadId: string): boolean;
  read(threadId: string, seq: number): Promise<AckFrame>;
  presence(userIds: string[]): Promise<{ type: 'presence'; id: string; users: Record<string, 'online' | 'offline'> }>;
}

export class Rest {
  constructor(baseUrl: string, fetchImpl?: typeof fetch);
  readonly baseUrl: string;
  request<T = any>(method: string, path: string, options?: { token?: string; body?: unknown }): Promise<T>;
  register(username: string, password: string, displayName?: string): Promise<User>;
  login(username: string, password: string): Promise<Required<Tokens>>;
  refresh(refreshToken: string): Promise<Required<Tokens>>;
  ticket(accessToken: string): Promise<string>;
}

export class Backoff {
  constructor(options?: BackoffOptions);
  next(): number;
  reset(): void;
}

/** A new clientId: the time (fixed-width base 36) and 80 random bits; later ids sort after earlier ones. */
export function newClientId(): string;
