// The thread log in the model (issue 15, contract 7.2): replies, edits, deletions, reactions.
// A thread's seq numbers its log: messages and change entries ('edited', 'deleted', 'reaction').
// Change entries bring loaded messages to their current state; they never count as unread and
// never move a thread up the list (its activity is its last message's own time). No DOM here.

export const CHANGE_TYPES = new Set(['edited', 'deleted', 'reaction']);

/** The common emoji offered by the reaction picker. */
export const QUICK_EMOJI = ['👍', '❤️', '😂', '😮', '😢', '🙏'];

/** A message as shown once deleted: what the history API returns for it. */
export function tombstone(m) {
  return { id: m.id, thread: m.thread, seq: m.seq, sender: m.sender, ts: m.ts, deleted: true };
}

/** Applies one change entry to a message object in place (current state, like the history API). */
export function applyToMessage(m, e) {
  if (!m || m.deleted) return;
  if (e.type === 'edited') {
    if (typeof e.body === 'string') m.body = e.body;
    m.editedAt = e.ts;
  } else if (e.type === 'deleted') {
    const left = tombstone(m);
    for (const k of Object.keys(m)) delete m[k];
    Object.assign(m, left);
  } else if (e.type === 'reaction') {
    const reactions = { ...(m.reactions || {}) };
    const users = (reactions[e.emoji] || []).filter((u) => u !== e.user);
    if (e.on) users.push(e.user);
    if (users.length) reactions[e.emoji] = users;
    else delete reactions[e.emoji];
    m.reactions = reactions;
  }
}

/** Whether a user may edit (the sender) or delete (the sender, or a group's creator or admin) a message. */
export function mayEdit(chat, m) {
  return !m.deleted && !m.pending && m.seq !== undefined && m.sender === chat.me.id;
}

export function mayDelete(chat, t, m) {
  if (m.deleted || m.pending || m.seq === undefined) return false;
  return m.sender === chat.me.id
    || (t.kind === 'group' && (t.creator === chat.me.id || (t.admins || []).includes(chat.me.id)));
}

/** The model's side of the log, mixed into Chat by a few hooks. */
export class ThreadLog {
  constructor(chat) {
    this.chat = chat;
    this.refreshTimer = null;
  }

  /**
   * A change entry from the socket (live or replayed by sync), in seq order. Entries at or below
   * what the thread has already seen were applied before (live and through sync) and are skipped.
   */
  onChange(e) {
    const chat = this.chat;
    const t = chat.threads.get(e.thread);
    if (!t || e.seq <= t.seen) return;
    t.seen = e.seq;
    t.lastSeq = Math.max(t.lastSeq, e.seq);
    t.counted = Math.max(t.counted, e.seq); // nothing to count: changes are not unread
    this.apply(t, e);
  }

  /** Applies a change to whatever copies of its target this client holds. */
  apply(t, e) {
    const chat = this.chat;
    const m = t.messages.get(e.target);
    const unread = e.type === 'deleted' ? this.wasUnread(t, m, e) : false;
    applyToMessage(m, e);
    const quoted = t.quoted && t.quoted.get(e.target);
    if (quoted && quoted !== m) applyToMessage(quoted, e);
    if (t.lastMessage && t.lastMessage.seq === e.target && t.lastMessage !== m) applyToMessage(t.lastMessage, e);
    if (e.type === 'deleted') {
      // a deleted message is not unread, and the list previews the newest message still there
      if (unread === true) t.unread -= 1;
      if (t.lastMessage && t.lastMessage.deleted) this.replaceLastMessage(t);
      else if (unread === undefined) this.askServer();
    }
    chat.emit('threads');
    chat.emit('messages', t.id);
  }

  /**
   * Whether the deleted target counted as unread: the unread messages are the newest messages of
   * others. True or false when the loaded messages tell, undefined when only the server knows.
   */
  wasUnread(t, m, e) {
    if (t.unread <= 0 || e.target > t.counted) return false;
    if (!m) return e.user === this.chat.me.id ? false : undefined;
    if (m.deleted || m.sender === this.chat.me.id) return false;
    let newer = 0;
    for (const x of t.messages.values()) {
      if (x.seq >= e.target && x.seq <= t.counted && !x.deleted && x.sender !== this.chat.me.id) newer += 1;
    }
    const oldest = t.oldestSeq();
    // every message after the target is loaded when the target itself is (pages are contiguous)
    return oldest !== undefined && oldest <= e.target ? newer <= t.unread : undefined;
  }

  /** The newest loaded message that is not deleted; or ask the server when none is loaded. */
  replaceLastMessage(t) {
    const gone = t.lastMessage.seq;
    const before = t.sortedMessages().filter((x) => !x.deleted && x.seq < gone);
    if (before.length) t.lastMessage = before[before.length - 1];
    else this.askServer();
  }

  /** Takes unread counts and deleted previews from the thread list (once for a burst of deletes). */
  askServer() {
    clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => {
      this.chat.api.threads().then(({ threads }) => {
        for (const s of threads) {
          const x = this.chat.threads.get(s.id);
          if (!x) continue;
          if (x.lastMessage && x.lastMessage.deleted) x.lastMessage = s.lastMessage || null;
          // the server's count is as of its newest entry: only take it when we are not behind it
          if ((s.lastSeq || 0) === x.counted) x.unread = s.unread || 0;
        }
        this.chat.emit('threads');
      }).catch(() => {});
    }, 200);
  }

  /** The thread list's lastMessage replaces ours when ours is older or has been deleted. */
  mergeLastMessage(t, s) {
    if (!t.lastMessage || t.lastMessage.deleted) t.lastMessage = s.lastMessage || null;
    else if (s.lastMessage && s.lastMessage.seq > t.lastMessage.seq) t.lastMessage = s.lastMessage;
  }

  /** A message not in the loaded pages but quoted by a reply: fetched once and kept up to date. */
  quoted(t, seq) {
    if (t.messages.has(seq)) return t.messages.get(seq);
    if (!t.quoted) t.quoted = new Map();
    if (t.quoted.has(seq)) return t.quoted.get(seq);
    const entry = { seq, loading: true };
    t.quoted.set(seq, entry);
    this.chat.api.messages(t.id, { after: seq - 1, limit: 1 }).then((res) => {
      const m = res.messages.find((x) => x.seq === seq);
      if (m) t.quoted.set(seq, m);
      else t.quoted.set(seq, { seq, missing: true });
    }, () => t.quoted.set(seq, { seq, missing: true })).finally(() => this.chat.emit('messages', t.id));
    return entry;
  }

  /** Loads older pages until the message with this seq is loaded; true when it is. */
  async loadUntil(t, seq) {
    const until = Date.now() + 20_000;
    while (!t.messages.has(seq) && Date.now() < until) {
      if (t.loadingOlder) {
        // a page is already on its way (scrolling asked for it): wait for it
        await new Promise((r) => setTimeout(r, 50));
        continue;
      }
      const oldest = t.oldestSeq();
      if (!t.loaded || !t.hasMoreOlder || (oldest !== undefined && oldest <= seq)) break;
      await this.chat.loadOlder(t);
    }
    return t.messages.has(seq);
  }

  // ---- changes sent by this user: WebSocket when connected, otherwise the REST twins ----

  edit(t, seq, body) {
    return this.change(t, { type: 'edit', thread: t.id, target: seq, body }, { type: 'edited', body },
      () => this.chat.api.editMessage(t.id, seq, body));
  }

  remove(t, seq) {
    return this.change(t, { type: 'delete', thread: t.id, target: seq }, { type: 'deleted' },
      () => this.chat.api.deleteMessage(t.id, seq));
  }

  react(t, seq, emoji, on) {
    return this.change(t, { type: 'react', thread: t.id, target: seq, emoji, on }, { type: 'reaction', emoji, on },
      () => this.chat.api.react(t.id, seq, emoji, on));
  }

  /**
   * Sends a change and applies it here once the server has it (the entry itself follows on every
   * connection; applying twice is harmless, the result is the same state).
   */
  async change(t, frame, entry, rest) {
    const chat = this.chat;
    let ts = Date.now();
    if (chat.conn.isOpen()) {
      const ack = await chat.conn.request(frame);
      // unchanged, or its entry (and maybe later ones) already arrived and was applied in order
      if (ack.changed === false || (ack.seq !== undefined && ack.seq <= t.seen)) return;
      ts = ack.ts || ts;
    } else {
      await rest();
    }
    this.apply(t, { ...entry, thread: t.id, target: frame.target, user: chat.me.id, ts });
  }
}
