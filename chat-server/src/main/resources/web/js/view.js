// Everything on screen once signed in: sidebar, thread list, conversation, composer, group dialog.

import { $, h, avatar, time, shortWhen, day, debounce, formatSize, safeName } from './dom.js';
import { ThreadLogView } from './threadlog-view.js';

const STATUS_TEXT = {
  connecting: 'Connecting…',
  connected: 'Connected',
  reconnecting: 'Reconnecting…',
  offline: 'Offline',
};
const NEAR_BOTTOM_PX = 80;
// shown inline only when the server also found one of these in the bytes themselves
const RASTER_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);
// signed links work 10 minutes on the server's clock; reuse one for 5 on ours (clocks drift)
const LINK_REUSE_MS = 5 * 60_000;

/** Binds the chat model to the page. */
export class ChatView {
  constructor(chat, api, conn, onSignOut) {
    this.chat = chat;
    this.api = api;
    this.conn = conn;
    this.onSignOut = onSignOut;
    this.messageEls = new Map(); // key -> {sig, el}
    this.links = new Map(); // attachment id -> {promise, renewAt} of its signed download link
    this.uploads = []; // {id, file, progress, attachment, error}
    this.groupMembers = new Map();
    this.renderQueued = new Set();
    this.bind();
    this.log = new ThreadLogView(this); // replies, edits, deletions, reactions (issue 15)
  }

  // ---- wiring ----

  bind() {
    const chat = this.chat;
    chat.addEventListener('change', (e) => this.queue(e.detail.what, e.detail.thread));
    this.conn.addEventListener('state', (e) => this.renderStatus(e.detail));

    const search = $('user-search');
    const runSearch = debounce(() => this.searchUsers(search.value.trim(), $('user-results'), (u) => this.startDirect(u)), 200);
    search.addEventListener('input', runSearch);
    search.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') this.clearSearch();
      if (e.key === 'ArrowDown') { const first = $('user-results').querySelector('button'); if (first) { e.preventDefault(); first.focus(); } }
      if (e.key === 'Enter') { const first = $('user-results').querySelector('button'); if (first) { e.preventDefault(); first.click(); } }
    });
    $('user-results').addEventListener('keydown', (e) => this.listKeys(e, search));

    $('logout-button').addEventListener('click', () => this.onSignOut());
    this.bindAccount();
    $('back-button').addEventListener('click', () => { this.chat.close(); });
    $('new-group-button').addEventListener('click', () => this.openGroupDialog());

    const scroller = $('message-scroller');
    scroller.addEventListener('scroll', () => {
      if (scroller.scrollTop < 120) this.loadOlder();
      if (this.nearBottom()) this.markRead();
    });
    document.addEventListener('visibilitychange', () => this.markRead());
    window.addEventListener('focus', () => this.markRead());

    const input = $('composer-input');
    input.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
        e.preventDefault();
        this.submit();
      }
    });
    input.addEventListener('input', () => {
      this.autosize();
      const t = this.chat.active;
      if (!t) return;
      if (input.value.trim()) this.chat.typing(t.id);
      if (!this.log.editing) this.chat.saveDraft(t.id, input.value);
    });
    $('composer').addEventListener('submit', (e) => { e.preventDefault(); this.submit(); });
    $('attach-button').addEventListener('click', () => $('file-input').click());
    $('file-input').addEventListener('change', (e) => {
      for (const f of e.target.files) this.upload(f);
      e.target.value = '';
    });
    const conv = $('conversation');
    conv.addEventListener('dragover', (e) => { if (this.chat.active) e.preventDefault(); });
    conv.addEventListener('drop', (e) => {
      if (!this.chat.active) return;
      e.preventDefault();
      for (const f of e.dataTransfer.files) this.upload(f);
    });
    input.addEventListener('paste', (e) => {
      const files = [...(e.clipboardData ? e.clipboardData.files : [])];
      if (files.length) { e.preventDefault(); files.forEach((f) => this.upload(f)); }
    });

    this.bindGroupDialog();
    setInterval(() => this.queue('typing', this.chat.activeId), 1_000);
  }

  /** Coalesces renders to one per animation frame. */
  queue(what, thread) {
    if (what === 'synced') { this.markRead(); return; }
    if (what === 'messages') this.renderQueued.add('threads');
    if ((what === 'messages' || what === 'history' || what === 'typing') && thread !== this.chat.activeId) {
      if (what !== 'messages') return;
    } else {
      this.renderQueued.add(what);
    }
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = null;
      const q = this.renderQueued;
      this.renderQueued = new Set();
      if (q.has('active')) this.renderActive();
      if (q.has('threads') || q.has('presence') || q.has('active')) this.renderThreads();
      if (q.has('presence')) this.renderHeader();
      if (q.has('messages') || q.has('active')) this.renderMessages(false);
      if (q.has('history')) this.renderMessages(true);
      if (q.has('typing') || q.has('active')) this.renderTyping();
    });
  }

  start() {
    const me = this.chat.me;
    $('me-name').textContent = me.displayName || me.username;
    $('me-name').title = `@${me.username}`;
    avatar($('me-avatar'), me.displayName || me.username, me.id);
    this.renderStatus(this.conn.state);
    this.queue('active');
  }

  renderStatus(state) {
    const el = $('connection-status');
    el.dataset.state = state;
    el.textContent = STATUS_TEXT[state] || state;
    document.body.dataset.connection = state;
  }

  // ---- thread list ----

  renderThreads() {
    const list = $('thread-list');
    const threads = this.chat.sortedThreads();
    $('thread-empty').hidden = threads.length > 0;
    const focused = document.activeElement && document.activeElement.closest('#thread-list [data-thread-id]');
    const focusedId = focused ? focused.dataset.threadId : null;
    list.replaceChildren(...threads.map((t) => this.threadItem(t)));
    if (focusedId) {
      const again = list.querySelector(`[data-thread-id="${CSS.escape(focusedId)}"] button`);
      if (again) again.focus();
    }
  }

  threadItem(t) {
    const chat = this.chat;
    const title = chat.threadTitle(t);
    const peer = t.kind === 'direct' ? chat.peer(t) : null;
    const av = avatar(h('span', { class: 'avatar', 'aria-hidden': 'true' }), title, peer ? peer.id : t.id);
    if (t.kind === 'group') av.classList.add('group');
    let presence = null;
    if (peer) {
      const status = chat.presence.get(peer.id) || 'offline';
      presence = h('span', { class: `presence ${status}`, 'data-testid': 'presence-dot', 'data-status': status,
        'aria-label': status, role: 'img' });
    }
    const pending = chat.pendingFor(t.id);
    const last = pending.length ? pending[pending.length - 1] : t.lastMessage;
    let preview = 'No messages yet';
    if (last) {
      const who = last.sender === chat.me.id || pending.length ? 'You: ' : (t.kind === 'group' ? `${chat.user(last.sender).displayName}: ` : '');
      const body = last.body || (last.attachments && last.attachments.length ? '📎 Attachment' : '');
      preview = who + body.replace(/\s+/g, ' ');
    }
    const unread = t.unread > 0 && t.id !== chat.activeId ? t.unread : 0;
    const label = `${title}${unread ? `, ${unread} unread` : ''}${peer ? `, ${chat.presence.get(peer.id) || 'offline'}` : ''}`;
    return h('li', { class: `thread${t.id === chat.activeId ? ' active' : ''}${unread ? ' has-unread' : ''}`,
      'data-testid': 'thread-item', 'data-thread-id': t.id, 'data-title': title },
    h('button', { type: 'button', 'aria-label': label, 'aria-current': t.id === chat.activeId ? 'true' : null,
      onclick: () => this.open(t.id) },
    h('span', { class: 'avatar-wrap' }, av, presence),
    h('span', { class: 'thread-main' },
      h('span', { class: 'thread-top' },
        h('span', { class: 'thread-title', 'data-testid': 'thread-title' }, title),
        h('time', { class: 'thread-time' }, shortWhen(last ? (last.ts || last.createdAt) : t.createdAt))),
      h('span', { class: 'thread-bottom' },
        h('span', { class: 'thread-preview', 'data-testid': 'thread-preview' }, preview),
        unread ? h('span', { class: 'badge', 'data-testid': 'unread-count', 'aria-hidden': 'true' }, unread > 99 ? '99+' : unread) : null))));
  }

  async open(id) {
    this.stashDraft();
    await this.chat.open(id).catch((e) => this.toast(e.message));
  }

  // ---- conversation ----

  renderActive() {
    const t = this.chat.active;
    const conv = $('conversation');
    conv.dataset.empty = t ? 'false' : 'true';
    $('chat-screen').dataset.view = t ? 'conversation' : 'list';
    this.messageEls.clear();
    $('message-list').replaceChildren();
    $('message-scroller').dataset.loaded = 'false';
    this.clearUploads();
    if (!t) { this.shownThread = null; this.log.reset(); return; }
    this.renderHeader();
    const input = $('composer-input');
    if (this.shownThread !== t.id) {
      this.log.reset();
      input.value = this.chat.draft(t.id);
      this.autosize();
      this.shownThread = t.id;
      this.stickToBottom = true;
      if (matchMedia('(pointer: fine)').matches) input.focus();
    }
  }

  stashDraft() {
    const t = this.chat.active;
    if (t) this.chat.saveDraft(t.id, this.log.draftText($('composer-input').value));
  }

  renderHeader() {
    const t = this.chat.active;
    if (!t) return;
    const chat = this.chat;
    const title = chat.threadTitle(t);
    $('conversation-title').textContent = title;
    const peer = t.kind === 'direct' ? chat.peer(t) : null;
    avatar($('conversation-avatar'), title, peer ? peer.id : t.id).classList.toggle('group', t.kind === 'group');
    let sub;
    if (peer) {
      const status = chat.presence.get(peer.id) || 'offline';
      sub = `@${peer.username} · ${status === 'online' ? 'online' : 'offline'}`;
      $('conversation-sub').dataset.status = status;
    } else {
      sub = t.members.map((m) => (m.id === chat.me.id ? 'you' : m.displayName || m.username)).join(', ');
      delete $('conversation-sub').dataset.status;
    }
    $('conversation-sub').textContent = sub;
  }

  nearBottom() {
    const s = $('message-scroller');
    return s.scrollHeight - s.scrollTop - s.clientHeight < NEAR_BOTTOM_PX;
  }

  renderMessages(prepended) {
    const t = this.chat.active;
    if (!t) return;
    const scroller = $('message-scroller');
    const wasNearBottom = this.stickToBottom || this.nearBottom();
    const oldHeight = scroller.scrollHeight;
    const oldTop = scroller.scrollTop;

    const chat = this.chat;
    const messages = t.sortedMessages();
    const pending = chat.pendingFor(t.id);
    const seenSeq = this.lastSeenOwnSeq(t, messages);
    const nodes = [];
    let lastDay = null;
    let prev = null;
    const all = [...messages, ...pending.map((p) => ({ ...p, sender: chat.me.id, ts: p.createdAt, pending: true }))];
    for (const m of all) {
      const d = day(m.ts);
      if (d !== lastDay) {
        nodes.push(this.cached(`d:${d}`, d, () => h('li', { class: 'day', role: 'separator' }, h('span', {}, d))));
        lastDay = d;
        prev = null;
      }
      const grouped = prev && prev.sender === m.sender && m.ts - prev.ts < 5 * 60_000;
      nodes.push(this.messageItem(t, m, grouped, m.seq !== undefined && m.seq === seenSeq));
      prev = m;
    }
    $('message-list').replaceChildren(...nodes);
    $('history-status').textContent = t.loadingOlder ? 'Loading earlier messages…'
      : (t.loaded && !t.hasMoreOlder && messages.length ? 'Beginning of the conversation' : '');
    if (!t.loaded) $('history-status').textContent = 'Loading…';
    scroller.dataset.loaded = String(t.loaded);

    if (prepended) {
      scroller.scrollTop = oldTop + (scroller.scrollHeight - oldHeight);
    } else if (wasNearBottom) {
      scroller.scrollTop = scroller.scrollHeight;
      this.stickToBottom = !t.loaded;
    }
    this.markRead();
    // a short first page: keep loading until the view can scroll
    if (t.loaded && t.hasMoreOlder && scroller.scrollHeight <= scroller.clientHeight + 10) this.loadOlder();
  }

  /** The seq of our newest message someone else has read (where "Seen" goes). */
  lastSeenOwnSeq(t, messages) {
    for (let i = messages.length - 1; i >= 0; i--) {
      const m = messages[i];
      if (m.sender !== this.chat.me.id) continue;
      for (const seq of t.readPos.values()) if (seq >= m.seq) return m.seq;
    }
    return undefined;
  }

  cached(key, sig, make) {
    const c = this.messageEls.get(key);
    if (c && c.sig === sig) return c.el;
    const el = make();
    this.messageEls.set(key, { sig, el });
    return el;
  }

  messageItem(t, m, grouped, seen) {
    const chat = this.chat;
    const mine = m.sender === chat.me.id;
    const status = m.pending ? (m.status === 'failed' ? 'failed' : 'pending') : 'sent';
    const readers = seen ? this.readerNames(t, m.seq) : '';
    const key = m.pending ? `p:${m.clientId}` : `m:${m.seq}`;
    const sig = `${status}|${grouped}|${readers}|${m.error || ''}|${this.log.sig(t, m)}`;
    return this.cached(key, sig, () => {
      const sender = chat.user(m.sender);
      const meta = h('span', { class: 'meta' },
        h('time', { datetime: new Date(m.ts).toISOString() }, time(m.ts)),
        mine ? h('span', { class: `state ${status}`, 'data-testid': 'message-state',
          'aria-label': status === 'sent' ? 'sent' : status === 'pending' ? 'sending' : 'not sent' },
        status === 'sent' ? '✓' : status === 'pending' ? '🕓' : '!') : null);
      const body = h('span', { class: 'body', 'data-testid': 'message-body' }, m.body);
      const bubble = h('div', { class: 'bubble' },
        !mine && t.kind === 'group' && !grouped ? h('span', { class: 'sender' }, sender.displayName || sender.username) : null,
        (m.attachments || []).length ? h('div', { class: 'attachments' }, m.attachments.map((a) => this.attachment(a))) : null,
        body,
        meta);
      const li = h('li', {
        class: `message ${mine ? 'mine' : 'theirs'}${grouped ? ' grouped' : ''} ${status}`,
        'data-testid': 'message', 'data-seq': m.seq, 'data-client-id': m.clientId, 'data-status': status,
        'data-sender': sender.username,
      }, bubble);
      if (status === 'failed') {
        li.append(h('div', { class: 'failed-actions' },
          h('span', { role: 'alert' }, `Not sent${m.error ? `: ${m.error}` : ''}`),
          h('button', { type: 'button', class: 'link', onclick: () => chat.retry(m.clientId) }, 'Retry'),
          h('button', { type: 'button', class: 'link', onclick: () => chat.discard(m.clientId) }, 'Discard')));
      }
      this.log.decorate(t, m, li, { bubble, body, meta }); // issue 15: quote, edited, tombstone, reactions, actions
      if (readers) li.append(h('div', { class: 'receipt', 'data-testid': 'read-receipt' }, readers));
      return li;
    });
  }

  readerNames(t, seq) {
    if (t.kind === 'direct') return 'Seen';
    const names = [];
    for (const [user, read] of t.readPos) if (read >= seq) names.push(this.chat.user(user).displayName);
    return `Seen by ${names.join(', ')}`;
  }

  /** The account dialog: change the password, sign out everywhere. */
  bindAccount() {
    const dialog = $('account-dialog');
    const error = $('password-error');
    const done = $('password-done');
    $('account-button').addEventListener('click', () => {
      error.textContent = '';
      done.textContent = '';
      dialog.showModal();
      $('password-current').focus();
    });
    $('account-close').addEventListener('click', () => dialog.close());
    $('password-form').addEventListener('submit', async (e) => {
      e.preventDefault();
      error.textContent = '';
      done.textContent = '';
      const current = $('password-current').value;
      const next = $('password-new').value;
      if (!current) { error.textContent = 'Enter your current password.'; return; }
      if (next.length < 8) { error.textContent = 'The new password needs at least 8 characters.'; return; }
      const submit = $('password-submit');
      submit.disabled = true;
      try {
        await this.api.changePassword(current, next);
        $('password-current').value = '';
        $('password-new').value = '';
        done.textContent = 'Password changed. Every other session has been signed out.';
      } catch (err) {
        if (err.status === 403) error.textContent = 'Your current password is not right.';
        else if (err.status === 400) error.textContent = err.message || 'The new password needs at least 8 characters.';
        else if (err.status === 429) error.textContent = 'Too many attempts: wait a moment and try again.';
        else error.textContent = err.message || 'Could not change the password.';
      } finally {
        submit.disabled = false;
      }
    });
    $('logout-all-button').addEventListener('click', async () => {
      try {
        await this.api.logoutEverywhere();
      } catch (err) {
        error.textContent = err.message || 'Could not sign out everywhere.';
      }
    });
  }

  /**
   * An attachment as a link or an image that the browser loads straight from the server with a
   * short-lived signed URL, so the server's protective headers apply (sandbox, nosniff, download
   * for anything but a proven raster image). Never a blob: or data: URL: those would run
   * uploaded bytes in this origin, next to the user's tokens.
   */
  attachment(a) {
    const name = safeName(a.filename);
    const link = h('a', { class: 'attachment-file', 'data-testid': 'attachment-link', 'data-attachment-id': a.id,
      rel: 'noopener noreferrer', referrerpolicy: 'no-referrer' },
    h('span', { class: 'file-icon', 'aria-hidden': 'true' }, '📄'),
    h('span', { class: 'file-name' }, name),
    h('span', { class: 'file-size' }, formatSize(a.size || 0)));
    let renewAt = 0;
    let following = false;
    const place = (l) => {
      link.href = l.url;
      renewAt = l.renewAt;
    };
    // a link past its time is renewed before the browser follows it (click, middle click, menu)
    const renew = (e) => {
      if (following || Date.now() < renewAt) return;
      const click = e.type === 'click';
      if (click) e.preventDefault();
      this.attachmentLink(a.id).then((l) => {
        place(l);
        if (!click) return;
        following = true; // follow the fresh link once, whatever the clocks say
        try { link.click(); } finally { following = false; }
      }).catch((err) => this.toast(err.message));
    };
    for (const type of ['click', 'auxclick', 'contextmenu', 'focus', 'pointerenter']) link.addEventListener(type, renew);
    const declaredImage = RASTER_TYPES.has(String(a.contentType || '').split(';')[0].trim().toLowerCase());
    if (!declaredImage) {
      this.attachmentLink(a.id).then(place).catch(() => {});
      return link;
    }
    // an image only when the server has checked its bytes; otherwise the same download link
    const slot = h('span', { class: 'attachment-slot' });
    this.attachmentLink(a.id).then((l) => {
      if (!l.inline) {
        place(l);
        slot.replaceWith(link);
        return;
      }
      const img = h('img', { class: 'attachment-image', 'data-testid': 'attachment-image', alt: name,
        'data-attachment-id': a.id, referrerpolicy: 'no-referrer' });
      img.addEventListener('load', () => { if (this.nearBottom() || this.stickToBottom) $('message-scroller').scrollTop = 1e9; }, { once: true });
      img.src = l.url;
      slot.replaceWith(img);
    }).catch(() => slot.replaceWith(h('span', { class: 'attachment-error' }, `${name} (unavailable)`)));
    return slot;
  }

  /** A signed download link for an attachment, reused until shortly before it expires. */
  attachmentLink(id) {
    const cached = this.links.get(id);
    if (cached && Date.now() < cached.renewAt) return cached.promise;
    const entry = { renewAt: Date.now() + LINK_REUSE_MS };
    entry.promise = this.api.attachmentLink(id).then((l) => ({ ...l, renewAt: entry.renewAt }));
    entry.promise.catch(() => this.links.delete(id));
    this.links.set(id, entry);
    return entry.promise;
  }

  renderTyping() {
    const t = this.chat.active;
    const el = $('typing-indicator');
    const names = t ? this.chat.typingNames(t) : [];
    let text = '';
    if (names.length === 1) text = `${names[0]} is typing…`;
    else if (names.length === 2) text = `${names[0]} and ${names[1]} are typing…`;
    else if (names.length > 2) text = 'Several people are typing…';
    if (el.textContent !== text) el.textContent = text;
    el.classList.toggle('on', !!text);
  }

  async loadOlder() {
    const t = this.chat.active;
    if (!t || !t.loaded || !t.hasMoreOlder || t.loadingOlder) return;
    $('history-status').textContent = 'Loading earlier messages…';
    try {
      await this.chat.loadOlder(t);
    } catch (e) {
      $('history-status').textContent = 'Could not load earlier messages';
    }
  }

  markRead() {
    const t = this.chat.active;
    if (!t || document.visibilityState !== 'visible' || !this.nearBottom()) return;
    this.chat.markRead(t.id);
  }

  // ---- composer ----

  autosize() {
    const input = $('composer-input');
    input.style.height = 'auto';
    const border = input.offsetHeight - input.clientHeight;
    const wanted = input.scrollHeight + border;
    input.style.height = `${Math.min(wanted, 160)}px`;
    input.style.overflowY = wanted > 160 ? 'auto' : 'hidden';
  }

  submit() {
    const t = this.chat.active;
    if (!t) return;
    if (this.log.editing) { this.log.submitEdit(); return; } // issue 15: the composer edits a message
    const input = $('composer-input');
    if (this.uploads.some((u) => !u.attachment && !u.error)) {
      this.toast('Wait for the upload to finish');
      return;
    }
    const attachments = this.uploads.filter((u) => u.attachment).map((u) => u.attachment);
    let body = input.value.trim();
    if (!body && !attachments.length) return;
    if (!body) body = attachments.map((a) => a.filename || 'attachment').join(', ');
    this.chat.send(t.id, body, attachments, this.log.takeReply(t.id));
    input.value = '';
    this.chat.saveDraft(t.id, '');
    this.clearUploads();
    this.autosize();
    this.stickToBottom = true;
    input.focus();
  }

  upload(file) {
    if (!this.chat.active) return;
    const u = { id: Math.random().toString(36).slice(2), file, progress: 0, attachment: null, error: null };
    this.uploads.push(u);
    this.renderTray();
    this.api.upload(file, (p) => { u.progress = p; this.renderTray(); })
      .then((a) => { u.attachment = a; u.progress = 1; })
      .catch((e) => { u.error = e.status === 413 ? 'File too large' : e.message; })
      .finally(() => this.renderTray());
  }

  clearUploads() {
    this.uploads = [];
    this.renderTray();
  }

  renderTray() {
    const tray = $('attachment-tray');
    tray.replaceChildren(...this.uploads.map((u) => h('li', {
      class: `upload${u.error ? ' error' : ''}${u.attachment ? ' done' : ''}`, 'data-testid': 'upload-item',
      'data-state': u.error ? 'error' : u.attachment ? 'done' : 'uploading',
    },
    h('span', { class: 'file-name' }, u.file.name),
    u.error ? h('span', { class: 'upload-error', role: 'alert' }, u.error)
      : h('progress', { max: '1', value: String(u.progress), 'data-testid': 'upload-progress',
        'aria-label': `Uploading ${u.file.name}` }),
    h('button', { type: 'button', class: 'icon-button small', 'aria-label': `Remove ${u.file.name}`,
      onclick: () => { this.uploads = this.uploads.filter((x) => x !== u); this.renderTray(); } }, '×'))));
    tray.hidden = this.uploads.length === 0;
  }

  // ---- user search and new chats ----

  async searchUsers(q, list, pick, exclude = new Set()) {
    const combo = list.id === 'user-results' ? $('user-search') : null;
    if (!q) {
      list.replaceChildren();
      list.hidden = list.id === 'user-results';
      if (combo) combo.setAttribute('aria-expanded', 'false');
      return;
    }
    let users = [];
    try {
      users = (await this.api.searchUsers(q)).users.filter((u) => u.id !== this.chat.me.id && !exclude.has(u.id));
    } catch (e) {
      users = [];
    }
    list.replaceChildren(...(users.length ? users.map((u) => h('li', { role: 'option' },
      h('button', { type: 'button', class: 'user-result', 'data-testid': 'user-result', 'data-username': u.username,
        onclick: () => pick(u) },
      avatar(h('span', { class: 'avatar small', 'aria-hidden': 'true' }), u.displayName || u.username, u.id),
      h('span', { class: 'user-names' }, h('span', {}, u.displayName || u.username), h('small', {}, `@${u.username}`)))))
      : [h('li', { class: 'no-results' }, 'No one found')]));
    list.hidden = false;
    if (combo) combo.setAttribute('aria-expanded', 'true');
  }

  listKeys(e, input) {
    const buttons = [...e.currentTarget.querySelectorAll('button')];
    const i = buttons.indexOf(document.activeElement);
    if (e.key === 'ArrowDown' && i < buttons.length - 1) { e.preventDefault(); buttons[i + 1].focus(); }
    if (e.key === 'ArrowUp') { e.preventDefault(); (i > 0 ? buttons[i - 1] : input).focus(); }
    if (e.key === 'Escape') { input.focus(); this.clearSearch(); }
  }

  clearSearch() {
    $('user-search').value = '';
    $('user-results').replaceChildren();
    $('user-results').hidden = true;
    $('user-search').setAttribute('aria-expanded', 'false');
  }

  async startDirect(user) {
    this.clearSearch();
    this.stashDraft();
    try {
      await this.chat.startDirect(user.id);
    } catch (e) {
      this.toast(e.message);
    }
  }

  // ---- group dialog ----

  bindGroupDialog() {
    const search = $('group-search');
    const run = debounce(() => this.searchUsers(search.value.trim(), $('group-results'), (u) => {
      this.groupMembers.set(u.id, u);
      search.value = '';
      $('group-results').replaceChildren();
      this.renderChips();
      search.focus();
    }, new Set(this.groupMembers.keys())), 200);
    search.addEventListener('input', run);
    search.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') {
        e.preventDefault();
        const first = $('group-results').querySelector('button');
        if (first) first.click();
      }
    });
    $('group-cancel').addEventListener('click', () => $('group-dialog').close());
    $('group-form').addEventListener('submit', async (e) => {
      e.preventDefault();
      const title = $('group-title').value.trim();
      if (!title) { $('group-error').textContent = 'Give the group a title'; $('group-title').focus(); return; }
      try {
        this.stashDraft();
        await this.chat.createGroup(title, [...this.groupMembers.keys()]);
        $('group-dialog').close();
      } catch (err) {
        $('group-error').textContent = err.message;
      }
    });
  }

  openGroupDialog() {
    this.groupMembers.clear();
    $('group-title').value = '';
    $('group-search').value = '';
    $('group-error').textContent = '';
    $('group-results').replaceChildren();
    this.renderChips();
    $('group-dialog').showModal();
    $('group-title').focus();
  }

  renderChips() {
    $('group-members').replaceChildren(...[...this.groupMembers.values()].map((u) => h('li', { class: 'chip' },
      h('span', {}, u.displayName || u.username),
      h('button', { type: 'button', 'aria-label': `Remove ${u.username}`,
        onclick: () => { this.groupMembers.delete(u.id); this.renderChips(); } }, '×'))));
  }

  toast(text) {
    const el = h('div', { class: 'toast', role: 'alert' }, text);
    document.body.append(el);
    setTimeout(() => el.remove(), 4_000);
  }
}
