// The client's model: threads, messages, and the unsent messages as the user sees them.
// Sending, retrying and syncing are the JS SDK's (through connection.js); this keeps what the
// user sees of it: pending and failed messages, kept across reloads in localStorage.
// No DOM here: the view listens to 'change' events (detail: {what, thread}).

import { newClientId } from '../sdk/outbox.js'; // the JS SDK's (clients/js), copied in by the build
import { CHANGE_TYPES, ThreadLog } from './threadlog.js';

const TYPING_SHOWN_MS = 3_000;
const PAGE = 50;

/** The state of one conversation as this client knows it. */
class ThreadState {
  constructor(t) {
    this.id = t.id;
    this.messages = new Map(); // seq -> message
    this.loaded = false; // the latest page has been fetched
    this.hasMoreOlder = false;
    this.loadingOlder = false;
    this.readPos = new Map(); // other user id -> seq they have read
    this.typing = new Map(); // user id -> time the indicator ends
    this.myRead = 0;
    this.seen = t.lastSeq || 0; // highest seq processed
    this.counted = t.lastSeq || 0; // unread counted up to here
    this.unread = t.unread || 0;
    this.lastMessage = t.lastMessage || null;
    this.update(t);
  }

  update(t) {
    this.kind = t.kind;
    this.title = t.title;
    this.members = t.members || [];
    this.creator = t.creator;
    this.admins = t.admins || [];
    this.createdAt = t.createdAt;
    this.muted = t.muted === true; // absent unless true (7.4)
    this.lastSeq = Math.max(this.lastSeq || 0, t.lastSeq || 0);
  }

  get activity() {
    return this.lastMessage ? this.lastMessage.ts : (this.createdAt || 0);
  }

  sortedMessages() {
    return [...this.messages.values()].sort((a, b) => a.seq - b.seq);
  }

  oldestSeq() {
    let min = Infinity;
    for (const s of this.messages.keys()) min = Math.min(min, s);
    return min === Infinity ? undefined : min;
  }
}

/** The chat model shared by the views. */
export class Chat extends EventTarget {
  constructor(api, conn) {
    super();
    this.api = api;
    this.conn = conn;
    this.me = null;
    this.threads = new Map();
    this.presence = new Map();
    this.lastSeen = new Map(); // user id -> epoch ms, for direct chats' headers
    this.outbox = []; // pending (queued in the SDK) and failed (kept for Retry or Discard)
    this.outboxOf = null; // whose saved outbox is loaded and queued
    this.activeId = null;
    this.typingSentAt = 0;
    this.leaving = new Set(); // ids of the groups we are leaving: their 'removed' is no news
    this.log = new ThreadLog(this); // replies, edits, deletions, reactions (issue 15)
    conn.beforeSync = (hello) => this.beforeSync(hello);
    conn.addEventListener('synced', () => this.onSynced());
    conn.addEventListener('frame', (e) => this.onFrame(e.detail));
  }

  emit(what, thread) {
    this.dispatchEvent(new CustomEvent('change', { detail: { what, thread } }));
  }

  /** Loads who we are, the saved outbox and the thread list, then opens the socket. */
  async start() {
    this.me = await this.api.me();
    if (this.outboxOf !== this.me.id) {
      // what was not sent before the page was closed goes out again, with the same clientIds
      this.outboxOf = this.me.id;
      this.outbox = loadJson(this.outboxKey(), []).map((o) => ({ ...o, status: o.status === 'failed' ? 'failed' : 'pending' }));
      for (const item of this.outbox) if (item.status === 'pending') this.transmit(item);
    }
    const { threads } = await this.api.threads();
    this.mergeThreads(threads);
    this.emit('threads');
    this.conn.start();
  }

  stop() {
    this.conn.stop();
  }

  outboxKey() { return `parley.outbox.${this.me.id}`; }
  draftKey(threadId) { return `parley.draft.${this.me.id}.${threadId}`; }

  saveOutbox() {
    localStorage.setItem(this.outboxKey(), JSON.stringify(this.outbox.map(({ status, error, ...o }) => ({ ...o, status }))));
  }

  draft(threadId) { return localStorage.getItem(this.draftKey(threadId)) || ''; }

  saveDraft(threadId, text) {
    if (text) localStorage.setItem(this.draftKey(threadId), text);
    else localStorage.removeItem(this.draftKey(threadId));
  }

  sortedThreads() {
    return [...this.threads.values()].sort((a, b) => b.activity - a.activity);
  }

  user(id) {
    for (const t of this.threads.values()) {
      const u = t.members.find((m) => m.id === id);
      if (u) return u;
    }
    return this.me && this.me.id === id ? this.me : { id, username: 'unknown', displayName: 'Someone' };
  }

  /** The other member of a direct thread. */
  peer(t) {
    return t.members.find((m) => m.id !== this.me.id) || this.me;
  }

  threadTitle(t) {
    if (t.kind === 'group') return t.title || 'Group';
    const p = this.peer(t);
    return p.displayName || p.username;
  }

  mergeThreads(list) {
    const ids = new Set();
    for (const s of list) {
      ids.add(s.id);
      const t = this.threads.get(s.id);
      if (!t) {
        this.threads.set(s.id, new ThreadState(s));
        continue;
      }
      t.update(s);
      t.unread = s.unread || 0;
      t.counted = Math.max(t.counted, s.lastSeq || 0);
      this.log.mergeLastMessage(t, s);
      if (!t.loaded && (s.lastSeq || 0) > t.seen) {
        // nothing of it on screen: skip the gap, the latest page is fetched when it is opened
        t.seen = s.lastSeq;
        t.messages.clear();
      }
    }
    for (const id of [...this.threads.keys()]) {
      if (!ids.has(id)) this.threads.delete(id);
    }
    if (this.activeId && !this.threads.has(this.activeId)) this.activeId = null;
  }

  // ---- connection lifecycle ----

  /**
   * After every (re)connect, before the SDK syncs: refresh the thread list (a thread with nothing
   * on screen skips its gap), then sync exactly those threads from what this page has seen.
   */
  async beforeSync(hello) {
    this.me = hello.user;
    const { threads } = await this.api.threads();
    this.mergeThreads(threads);
    this.emit('threads');
    const positions = {};
    for (const t of this.threads.values()) positions[t.id] = t.seen;
    this.conn.follow(positions);
  }

  /** Synced: what arrived meanwhile is in; the SDK now sends the outbox. */
  onSynced() {
    this.emit('threads');
    this.emit('messages', this.activeId);
    this.queryPresence();
    this.emit('synced');
  }

  onFrame(f) {
    switch (f.type) {
      case 'message':
      case 'edited':
      case 'deleted':
      case 'reaction':
        this.onEntry(f);
        break;
      case 'typing': this.onTyping(f); break;
      case 'read': this.onRead(f); break;
      case 'presence':
        // gone now: "last seen" is now (the server's time, asked later, may lag by a second)
        if (f.status === 'offline' && this.presence.get(f.user) === 'online') this.lastSeen.set(f.user, Date.now());
        this.presence.set(f.user, f.status);
        this.emit('presence');
        break;
      case 'thread': this.onThread(f.thread); break;
      case 'removed': {
        // removed by someone else, or our own leaving seen from the other side of the socket
        const gone = this.forget(f.thread);
        if (gone && !this.leaving.has(f.thread)) {
          this.dispatchEvent(new CustomEvent('removed', { detail: { thread: gone } }));
        }
        break;
      }
      default: break;
    }
  }

  /** One entry of a thread's log: a message, or a change to one (issue 15). */
  onEntry(f) {
    if (CHANGE_TYPES.has(f.type)) this.log.onChange(f);
    else this.onMessage(f);
  }

  onMessage(m) {
    const t = this.threads.get(m.thread);
    if (!t) {
      // a thread we have not heard of yet: fetch it, then the message is in its latest page
      this.api.thread(m.thread).then((s) => this.onThread(s)).catch(() => {});
      return;
    }
    if (m.seq <= t.seen) return; // already had it (live and through sync)
    t.seen = m.seq;
    t.lastSeq = Math.max(t.lastSeq, m.seq);
    const { type, ...message } = m;
    t.messages.set(m.seq, message);
    // sync replays a message deleted since as a tombstone: neither the preview nor unread
    if (!m.deleted && (!t.lastMessage || m.seq >= t.lastMessage.seq)) t.lastMessage = message;
    if (m.sender === this.me.id) {
      if (this.dropFromOutbox(m.clientId)) this.conn.cancel(m.clientId); // stored: no need to send it again
    } else {
      t.typing.delete(m.sender);
      if (m.seq > t.counted && !m.deleted) t.unread += 1;
    }
    t.counted = Math.max(t.counted, m.seq);
    this.emit('threads');
    this.emit('messages', t.id);
  }

  onTyping(f) {
    const t = this.threads.get(f.thread);
    if (!t || f.user === this.me.id) return;
    t.typing.set(f.user, Date.now() + TYPING_SHOWN_MS);
    this.emit('typing', t.id);
    setTimeout(() => this.emit('typing', t.id), TYPING_SHOWN_MS + 50);
  }

  onRead(f) {
    const t = this.threads.get(f.thread);
    if (!t) return;
    if (f.user === this.me.id) {
      t.myRead = Math.max(t.myRead, f.seq);
      if (t.myRead >= t.seen) t.unread = 0;
      this.emit('threads');
      return;
    }
    t.readPos.set(f.user, Math.max(t.readPos.get(f.user) || 0, f.seq));
    this.emit('messages', t.id);
  }

  onThread(s) {
    this.followMe(s.members || []);
    const existing = this.threads.get(s.id);
    if (existing) existing.update(s);
    else this.threads.set(s.id, new ThreadState(s));
    this.emit('threads');
    // presence events only come when someone connects: ask about the new faces now
    const unknown = (s.members || []).map((m) => m.id).filter((id) => id !== this.me.id && !this.presence.has(id));
    if (unknown.length) this.queryPresence(unknown);
    if (this.openWhenKnown === s.id) this.open(s.id);
  }

  /** Our own name or picture changed (here, in another tab or on another device): take it. */
  followMe(members) {
    const mine = members.find((m) => m.id === this.me.id);
    if (mine && (mine.displayName !== this.me.displayName || mine.avatar !== this.me.avatar)) this.setMe(mine);
  }

  setMe(user) {
    this.me = { ...user };
    this.emit('me');
  }

  queryPresence(only) {
    const ids = new Set(only || []);
    if (!only) for (const t of this.threads.values()) for (const m of t.members) if (m.id !== this.me.id) ids.add(m.id);
    if (ids.size === 0 || !this.conn.isOpen()) return;
    this.conn.request({ type: 'presence', users: [...ids] }).then((a) => {
      for (const [id, status] of Object.entries(a.users || {})) this.presence.set(id, status);
      this.emit('presence');
    }).catch(() => {});
  }

  // ---- opening threads and history ----

  async open(id) {
    this.activeId = id;
    this.openWhenKnown = null;
    this.emit('active');
    const t = this.threads.get(id);
    if (t && !t.loaded) await this.loadLatest(t);
  }

  close() {
    this.activeId = null;
    this.emit('active');
  }

  get active() {
    return this.activeId ? this.threads.get(this.activeId) : null;
  }

  async loadLatest(t) {
    // a reconnect may skip the thread ahead while the page is on its way: fetch again then
    for (let attempt = 0; attempt < 3; attempt++) {
      const res = await this.api.messages(t.id, { limit: PAGE });
      for (const m of res.messages) {
        t.messages.set(m.seq, m);
        t.seen = Math.max(t.seen, m.seq);
      }
      if (attempt === 0) t.hasMoreOlder = res.hasMore;
      const newest = res.messages.length ? res.messages[res.messages.length - 1].seq : 0;
      // the newest entry seen may be a change, in no page: the newest message is what must be in
      if (t.seen === 0 || t.messages.has(t.seen) || !t.lastMessage || t.lastMessage.seq <= newest) break;
    }
    t.loaded = true;
    this.emit('messages', t.id);
  }

  /** Fetches the page before the oldest loaded message; resolves to the number added. */
  async loadOlder(t) {
    if (!t.loaded || !t.hasMoreOlder || t.loadingOlder) return 0;
    t.loadingOlder = true;
    try {
      const res = await this.api.messages(t.id, { before: t.oldestSeq(), limit: PAGE });
      for (const m of res.messages) t.messages.set(m.seq, m);
      t.hasMoreOlder = res.hasMore;
      this.emit('history', t.id);
      return res.messages.length;
    } finally {
      t.loadingOlder = false;
    }
  }

  async startDirect(userId) {
    const s = await this.api.createDirect(userId);
    this.onThread(s);
    await this.open(s.id);
  }

  async createGroup(title, memberIds) {
    const s = await this.api.createGroup(title, memberIds);
    this.onThread(s);
    await this.open(s.id);
  }

  /** Drops a thread we are no longer in; resolves to what we knew of it, or null. */
  forget(id) {
    const t = this.threads.get(id);
    if (!t) return null;
    this.threads.delete(id);
    if (this.activeId === id) this.activeId = null;
    this.emit('threads');
    this.emit('active');
    return t;
  }

  /** Leaves a group (removes ourselves, contract section 6); it goes off the list at once. */
  async leave(id) {
    this.leaving.add(id);
    try {
      await this.api.removeMember(id, this.me.id);
      this.forget(id);
    } finally {
      this.leaving.delete(id);
    }
  }

  /** Replaces our copy of a thread with the server's, after a change we made ourselves. */
  async refreshThread(id) {
    this.onThread(await this.api.thread(id));
  }

  // ---- sending ----

  pendingFor(threadId) {
    return this.outbox.filter((o) => o.thread === threadId);
  }

  /**
   * Queues a message: shown at once as pending, sent in turn. The SDK's outbox is one queue sent
   * one message at a time, so that what one person types is stored in the order it was typed,
   * also when the server asks us to slow down and when the queue is flushed after a reconnect.
   */
  send(threadId, body, attachments = [], replyTo = undefined) {
    const item = { clientId: newClientId(), thread: threadId, body, attachments, createdAt: Date.now(), status: 'pending' };
    if (replyTo !== undefined) item.replyTo = replyTo; // issue 15: the seq of the quoted message
    this.outbox.push(item);
    this.saveOutbox();
    this.emit('messages', threadId);
    this.transmit(item);
    return item;
  }

  retry(clientId) {
    const item = this.outbox.find((o) => o.clientId === clientId);
    if (!item || item.status !== 'failed') return;
    item.status = 'pending';
    item.error = null;
    this.saveOutbox();
    this.emit('messages', item.thread);
    this.transmit(item); // the same clientId: stored once even if an earlier try got through
  }

  /** Removes a failed message; resolves to it so that its text can go back to the composer. */
  discard(clientId) {
    const item = this.outbox.find((o) => o.clientId === clientId);
    if (!item) return null;
    if (item.status === 'pending' && !this.conn.cancel(clientId)) return null; // on the wire
    this.dropFromOutbox(clientId);
    this.emit('messages', item.thread);
    this.emit('threads');
    return item;
  }

  /** Hands the message to the SDK's outbox; it waits there through disconnects. */
  transmit(item) {
    this.conn.queue(item).then((ack) => this.onAck(item, ack), (e) => this.onRefused(item, e));
  }

  /** Refused for good (too large, forbidden, ...): kept as failed, for Retry or Discard. */
  onRefused(item, e) {
    // discarded, or stored already (its own message came first); closed: the session is over,
    // and it stays pending in localStorage, sent again after the next sign-in
    if (!this.outbox.includes(item) || e.code === 'cancelled' || e.code === 'closed') return;
    item.status = 'failed';
    item.error = e.code === 'forbidden' ? 'you cannot send here (blocked, or no longer a member)' : e.message;
    this.saveOutbox();
    this.emit('messages', item.thread);
    this.emit('threads');
  }

  onAck(item, ack) {
    this.dropFromOutbox(item.clientId);
    const t = this.threads.get(item.thread);
    if (t && !t.messages.has(ack.seq)) {
      // the ack may overtake our own message event: show it as sent right away
      const m = { id: ack.messageId, thread: item.thread, seq: ack.seq, sender: this.me.id, body: item.body,
        ts: ack.ts, clientId: item.clientId, attachments: item.attachments };
      if (item.replyTo !== undefined) m.replyTo = item.replyTo;
      t.messages.set(ack.seq, m);
      if (!t.lastMessage || ack.seq >= t.lastMessage.seq) t.lastMessage = m;
      this.emit('threads');
    }
    this.emit('messages', item.thread);
  }

  /** True when it was there. */
  dropFromOutbox(clientId) {
    if (!clientId) return false;
    const i = this.outbox.findIndex((o) => o.clientId === clientId);
    if (i < 0) return false;
    this.outbox.splice(i, 1);
    this.saveOutbox();
    return true;
  }

  /** Called while the user types: at most one typing signal every 2 s. */
  typing(threadId) {
    const now = Date.now();
    if (now - this.typingSentAt < 2_000) return;
    if (this.conn.send({ type: 'typing', thread: threadId })) this.typingSentAt = now;
  }

  /** Marks the thread read up to its newest message (when it is on screen). */
  markRead(threadId) {
    const t = this.threads.get(threadId);
    if (!t || !t.loaded) return;
    const seq = t.seen;
    if (t.unread > 0 || seq > t.myRead) {
      t.unread = 0;
      this.emit('threads');
    }
    if (seq <= t.myRead || seq === 0) return;
    if (this.conn.send({ type: 'read', thread: t.id, seq })) t.myRead = seq;
  }

  /** Names of the members typing in the thread now. */
  typingNames(t) {
    const now = Date.now();
    const names = [];
    for (const [user, until] of t.typing) {
      if (until > now) names.push(this.user(user).displayName || this.user(user).username);
      else t.typing.delete(user);
    }
    return names;
  }
}

function loadJson(key, fallback) {
  try {
    const v = JSON.parse(localStorage.getItem(key));
    return v ?? fallback;
  } catch {
    return fallback;
  }
}
