// Everything on screen once signed in: sidebar, thread list, conversation, composer, group dialog.

import { $, h, avatar, time, shortWhen, day, debounce, formatSize, safeName, icon, linkify } from './dom.js';
import { ThreadLogView } from './threadlog-view.js';
import { declaredMedia, mediaPlayer } from './media.js';
import { MessageSearch } from './search.js';
import { BlockMute } from './block-mute.js';
import { GroupPanel } from './group-panel.js';
import { ProfileDialog, lastSeenText } from './profile.js';

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

// an inline image's largest box on screen (app.css caps .attachment-image the same way)
const IMAGE_BOX = { width: 360, height: 260 };

/**
 * The size an image of width x height pixels takes inline, scaled down to fit IMAGE_BOX; null
 * when the server did not say (an image the server cannot read).
 */
function fitImage(width, height) {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) return null;
  const f = Math.min(1, IMAGE_BOX.width / width, IMAGE_BOX.height / height);
  return { width: Math.max(1, Math.round(width * f)), height: Math.max(1, Math.round(height * f)) };
}

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
    this.search = new MessageSearch(this); // message search (contract 7.3)
    this.controls = new BlockMute(this); // mute and block in the header (contract 7.4)
    this.groupPanel = new GroupPanel(this); // a group's members, roles, rename, leave (contract 7.4)
    this.profile = new ProfileDialog(this); // your name and picture; others' "last seen" (issue 18)
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
    $('back-button').addEventListener('click', () => this.backToList());
    // each conversation has its own address (#/t/ID): Back and Forward move between them, a
    // reload reopens the one on screen
    window.addEventListener('popstate', () => this.followUrl());
    $('new-group-button').addEventListener('click', () => this.openGroupDialog());

    const scroller = $('message-scroller');
    scroller.addEventListener('scroll', () => {
      // only the reader unpins the view, by scrolling up; content that grows below a pinned view
      // (an image that loaded before this event came) does not
      const top = scroller.scrollTop;
      if (top < (this.lastTop ?? 0) - 1) this.pinned = this.nearBottom();
      else if (this.nearBottom()) this.pinned = true;
      this.lastTop = top;
      if (this.pinned) this.setUnseen(0);
      this.renderJump();
      if (scroller.scrollTop < 120) this.loadOlder();
      if (this.pinned) this.markRead();
    });
    // content that grows after it was placed (an image that loads) keeps a pinned view pinned
    new ResizeObserver(() => {
      if (this.pinned && this.chat.active) scroller.scrollTop = scroller.scrollHeight;
      this.renderJump();
    }).observe($('message-list'));
    $('jump-latest').addEventListener('click', () => this.jumpToLatest());
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
    $('image-close').addEventListener('click', () => $('image-dialog').close());
    // a click on the backdrop (outside the dialog's box) closes it too
    $('image-dialog').addEventListener('click', (e) => { if (e.target === $('image-dialog')) $('image-dialog').close(); });
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
      if (q.has('me')) this.renderMe();
      if (q.has('active')) this.renderActive();
      if (q.has('threads') || q.has('presence') || q.has('active')) this.renderThreads();
      // a rename or a membership change made elsewhere shows in the header too
      if (q.has('presence') || q.has('threads')) this.renderHeader();
      if (q.has('messages') || q.has('active')) this.renderMessages(false);
      if (q.has('history')) this.renderMessages(true);
      if (q.has('typing') || q.has('active')) this.renderTyping();
    });
  }

  start() {
    this.renderMe();
    this.renderStatus(this.conn.state);
    this.followUrl();
    this.queue('active');
    this.controls.start();
  }

  /** Our own name and picture in the sidebar's head. */
  renderMe() {
    const me = this.chat.me;
    $('me-name').textContent = me.displayName || me.username;
    $('me-name').title = `@${me.username}`;
    avatar($('me-avatar'), me.displayName || me.username, me.id, me.avatar);
  }

  /** The thread id in the page's address, or null. */
  static threadInUrl() {
    const m = /^#\/t\/([^/?#]+)$/.exec(location.hash);
    if (!m) return null;
    try { return decodeURIComponent(m[1]); } catch { return null; }
  }

  /** Opens what the address names (after Back, Forward or a reload). */
  followUrl() {
    const id = ChatView.threadInUrl();
    if (id && this.chat.threads.has(id)) {
      if (id !== this.chat.activeId) this.open(id, false);
      return;
    }
    if (id) history.replaceState(null, '', location.pathname + location.search); // gone, or never ours
    if (this.chat.activeId) { this.stashDraft(); this.chat.close(); }
  }

  /** Records the open conversation as a new history entry, unless the address already says so. */
  pushUrl() {
    const id = this.chat.activeId;
    if (id === ChatView.threadInUrl()) return;
    history.pushState({ parley: true }, '', id ? `#/t/${encodeURIComponent(id)}` : location.pathname + location.search);
  }

  backToList() {
    this.stashDraft();
    // the list is the entry before this one when we opened the conversation from it
    if (history.state && history.state.parley && ChatView.threadInUrl()) { history.back(); return; }
    this.chat.close();
    this.pushUrl();
  }

  renderStatus(state) {
    const el = $('connection-status');
    el.dataset.state = state;
    el.textContent = STATUS_TEXT[state] || state;
    document.body.dataset.connection = state;
    // presence shown while we are cut off would be a guess: redraw it as unknown, or as known again
    this.queue('presence');
  }

  /** What we know of someone's presence: nothing while our own connection is down. */
  presenceOf(userId) {
    if (this.conn.state !== 'connected') return 'unknown';
    return this.chat.presence.get(userId) || 'offline';
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
    const av = avatar(h('span', { class: 'avatar', 'aria-hidden': 'true' }), title, peer ? peer.id : t.id,
      peer ? peer.avatar : null);
    if (t.kind === 'group') av.classList.add('group');
    let presence = null;
    if (peer) {
      const status = this.presenceOf(peer.id);
      presence = h('span', { class: `presence ${status}`, 'data-testid': 'presence-dot', 'data-status': status,
        'aria-hidden': 'true' }); // said in words at the end of the button's name
    }
    const pending = chat.pendingFor(t.id);
    // an unsent message is the newest; a failed one only until something newer was sent
    const lastPending = pending[pending.length - 1];
    let last = t.lastMessage;
    if (lastPending && (!last || lastPending.status !== 'failed' || lastPending.createdAt >= last.ts)) last = lastPending;
    const isPending = !!last && last === lastPending;
    let preview = 'No messages yet';
    let failed = false;
    if (last) {
      failed = isPending && last.status === 'failed';
      const who = failed ? 'Not sent: ' : isPending || last.sender === chat.me.id ? 'You: '
        : (t.kind === 'group' ? `${chat.user(last.sender).displayName}: ` : '');
      const files = last.attachments || [];
      const body = last.body || (files.length ? safeName(files[0].filename) : '');
      preview = who + body.replace(/\s+/g, ' ');
    }
    const unread = t.unread > 0 && t.id !== chat.activeId ? t.unread : 0;
    // the button's name is its visible text (WCAG 2.5.3), plus what only the dot and badge show
    const status = peer ? this.presenceOf(peer.id) : null;
    const extra = `${unread ? `, ${unread} unread` : ''}${peer ? `, ${status === 'unknown' ? 'status unknown' : status}` : ''}`;
    return h('li', { class: `thread${t.id === chat.activeId ? ' active' : ''}${unread ? ' has-unread' : ''}`,
      'data-testid': 'thread-item', 'data-thread-id': t.id, 'data-title': title },
    h('button', { type: 'button', 'aria-current': t.id === chat.activeId ? 'true' : null,
      onclick: () => this.open(t.id) },
    h('span', { class: 'avatar-wrap' }, av, presence),
    h('span', { class: 'thread-main' },
      h('span', { class: 'thread-top' },
        h('span', { class: 'thread-title', 'data-testid': 'thread-title' }, title),
        t.muted ? h('span', { class: 'muted-mark', 'data-testid': 'thread-muted', title: 'Muted' }, 'muted') : null,
        h('time', { class: 'thread-time' }, shortWhen(last ? (last.ts || last.createdAt) : t.createdAt))),
      h('span', { class: 'thread-bottom' },
        h('span', { class: `thread-preview${failed ? ' failed' : ''}`, 'data-testid': 'thread-preview',
          'data-failed': failed ? 'true' : null }, preview),
        unread ? h('span', { class: 'badge', 'data-testid': 'unread-count', 'aria-hidden': 'true' }, unread > 99 ? '99+' : unread) : null),
      extra ? h('span', { class: 'visually-hidden' }, extra) : null)));
  }

  async open(id, record = true) {
    this.stashDraft();
    const opening = this.chat.open(id);
    if (record) this.pushUrl();
    await opening.catch((e) => this.toast(e.message));
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
    if (!t) {
      this.shownThread = null;
      this.log.reset();
      // the open conversation went away (we were removed): the address must not point at it
      if (ChatView.threadInUrl()) history.replaceState(null, '', location.pathname + location.search);
      return;
    }
    this.renderHeader();
    const input = $('composer-input');
    if (this.shownThread !== t.id) {
      this.log.reset();
      input.value = this.chat.draft(t.id);
      this.autosize();
      this.shownThread = t.id;
      // where the "new messages" divider goes: above the first of the ones unread when opened
      this.unreadAtOpen = t.unread;
      this.lastShownSeq = undefined;
      this.lastTop = 0;
      this.dividerSeq = undefined;
      this.pinned = true;
      this.setUnseen(0);
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
    avatar($('conversation-avatar'), title, peer ? peer.id : t.id, peer ? peer.avatar : null)
      .classList.toggle('group', t.kind === 'group');
    let sub;
    if (peer) {
      const status = this.presenceOf(peer.id);
      if (status === 'offline') this.profile.askLastSeen(peer.id);
      const away = status === 'offline' ? lastSeenText(this.chat.lastSeen.get(peer.id)) : status;
      sub = status === 'unknown' ? `@${peer.username}` : `@${peer.username} · ${away}`;
      $('conversation-sub').dataset.status = status;
    } else {
      sub = t.members.map((m) => (m.id === chat.me.id ? 'you' : m.displayName || m.username)).join(', ');
      delete $('conversation-sub').dataset.status;
    }
    $('conversation-sub').textContent = sub;
  }

  setUnseen(n) {
    this.unseen = n;
    const count = $('jump-latest-count');
    count.textContent = n > 0 ? String(n > 99 ? '99+' : n) : '';
    count.hidden = n <= 0;
    $('jump-latest').setAttribute('aria-label', n > 0 ? `Jump to latest, ${n} new` : 'Jump to latest');
  }

  /** The "jump to latest" button: there whenever the view is away from the bottom. */
  renderJump() {
    const jump = $('jump-latest');
    const show = !!this.chat.active && !this.pinned;
    if (jump.hidden === !show) return;
    jump.hidden = !show;
  }

  jumpToLatest() {
    const scroller = $('message-scroller');
    this.pinned = true;
    scroller.scrollTop = scroller.scrollHeight;
    this.setUnseen(0);
    this.renderJump();
    this.markRead();
    $('composer-input').focus();
  }

  nearBottom() {
    const s = $('message-scroller');
    return s.scrollHeight - s.scrollTop - s.clientHeight < NEAR_BOTTOM_PX;
  }

  renderMessages(prepended) {
    const t = this.chat.active;
    if (!t) return;
    const scroller = $('message-scroller');
    const wasNearBottom = this.pinned;
    const before = this.lastShownSeq;
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
    if (this.dividerSeq === undefined && t.loaded) {
      const theirs = messages.filter((m) => m.sender !== chat.me.id);
      const n = this.unreadAtOpen || 0;
      this.dividerSeq = n > 0 && theirs.length ? theirs[Math.max(0, theirs.length - n)].seq : null;
    }
    for (const m of all) {
      const d = day(m.ts);
      if (d !== lastDay) {
        nodes.push(this.cached(`d:${d}`, d, () => h('li', { class: 'day' }, h('span', {}, d))));
        lastDay = d;
        prev = null;
      }
      if (this.dividerSeq && m.seq === this.dividerSeq) {
        nodes.push(this.cached('new-divider', 'new', () => h('li', { class: 'new-divider',
          'data-testid': 'new-divider' }, h('span', {}, 'New messages'))));
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
    } else if (before !== undefined) {
      // scrolled up reading: count what arrived below instead of moving the view
      const fresh = messages.filter((m) => m.seq > before && m.sender !== chat.me.id).length;
      if (fresh) this.setUnseen(this.unseen + fresh);
    }
    this.lastShownSeq = messages.length ? messages[messages.length - 1].seq : (t.loaded ? 0 : undefined);
    this.renderJump();
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
    const sender = chat.user(m.sender);
    const named = !mine && t.kind === 'group' && !grouped; // the first of a run from someone else in a group
    const who = named ? `${sender.displayName}|${sender.avatar || ''}` : '';
    const sig = `${status}|${grouped}|${readers}|${m.error || ''}|${who}|${this.log.sig(t, m)}`;
    return this.cached(key, sig, () => {
      const meta = h('span', { class: 'meta' },
        h('time', { datetime: new Date(m.ts).toISOString() }, time(m.ts)),
        mine ? h('span', { class: `state ${status}`, 'data-testid': 'message-state', role: 'img',
          'aria-label': status === 'sent' ? 'sent' : status === 'pending' ? 'sending' : 'not sent' },
        icon(status === 'sent' ? 'check' : status === 'pending' ? 'clock' : 'alert')) : null);
      // always present (the thread log decorates it); empty and hidden for a file sent without text
      const body = h('span', { class: 'body', 'data-testid': 'message-body' }, linkify(m.body || ''));
      const bubble = h('div', { class: 'bubble' },
        named ? h('span', { class: 'sender' },
          avatar(h('span', { class: 'avatar tiny', 'aria-hidden': 'true' }), sender.displayName || sender.username,
            sender.id, sender.avatar),
          sender.displayName || sender.username) : null,
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
          h('button', { type: 'button', class: 'link', onclick: () => this.discard(m.clientId) }, 'Discard')));
      }
      this.log.decorate(t, m, li, { bubble, body, meta }); // issue 15: quote, edited, tombstone, reactions, actions
      if (readers) li.append(h('div', { class: 'receipt', 'data-testid': 'read-receipt' }, readers));
      return li;
    });
  }

  /** Drops a message that could not be sent and gives its text back to the composer. */
  discard(clientId) {
    const item = this.chat.discard(clientId);
    if (!item || !item.body || item.thread !== this.chat.activeId) return;
    const input = $('composer-input');
    input.value = input.value.trim() ? `${item.body}\n${input.value}` : item.body;
    this.chat.saveDraft(item.thread, input.value);
    this.autosize();
    input.focus();
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
    h('span', { class: 'file-icon', 'aria-hidden': 'true' }, icon('file')),
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
    const media = declaredMedia(a.contentType);
    if (media) {
      // a player only when the server has found audio or video in the bytes; otherwise the link
      const slot = h('span', { class: 'attachment-slot' });
      this.attachmentLink(a.id).then((l) => {
        place(l);
        slot.replaceWith(l.media === 'audio' || l.media === 'video'
          ? h('span', { class: 'attachment-media' }, mediaPlayer(l.media, l.url, name, a.id), link) : link);
      }).catch(() => slot.replaceWith(link));
      return slot;
    }
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
        'data-attachment-id': a.id, referrerpolicy: 'no-referrer', tabindex: '0', role: 'button',
        'aria-label': `${name}: open larger` });
      const enlarge = () => this.enlarge(a, name);
      img.addEventListener('click', enlarge);
      img.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); enlarge(); } });
      const box = fitImage(l.width, l.height);
      if (box) {
        // the space is taken before the bytes arrive, so nothing below moves when they do
        img.width = box.width;
        img.height = box.height;
        img.classList.add('sized');
      }
      // the server's small copy inline; the original only in the enlarged view (or when the
      // server makes no copy: then it is the original, as before)
      if (l.thumbnail) {
        img.addEventListener('error', () => { img.src = l.url; }, { once: true });
        img.src = l.thumbnail;
      } else {
        img.src = l.url;
      }
      slot.replaceWith(img);
    }).catch(() => slot.replaceWith(h('span', { class: 'attachment-error' }, `${name} (unavailable)`)));
    return slot;
  }

  /**
   * Shows an image large, with a button that saves it. Both load the server's signed link, so the
   * bytes keep the server's headers; the download only asks the browser to save instead of show.
   */
  enlarge(a, name) {
    const dialog = $('image-dialog');
    this.attachmentLink(a.id).then((l) => {
      const img = $('image-dialog-img');
      img.src = l.url;
      img.alt = name;
      const save = $('image-download');
      save.href = l.url;
      save.setAttribute('download', name);
      save.setAttribute('aria-label', `Download ${name}`);
      dialog.setAttribute('aria-label', name);
      if (!dialog.open) dialog.showModal();
      $('image-close').focus();
    }).catch((err) => this.toast(err.message));
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
    const body = input.value.trim();
    if (!body && !attachments.length) return;
    this.chat.send(t.id, body, attachments, this.log.takeReply(t.id));
    input.value = '';
    this.chat.saveDraft(t.id, '');
    this.clearUploads();
    this.autosize();
    this.pinned = true;
    input.focus();
  }

  async upload(file) {
    if (!this.chat.active) return;
    const u = { id: Math.random().toString(36).slice(2), file, progress: 0, attachment: null, error: null };
    this.uploads.push(u);
    this.renderTray();
    // refuse what the server would refuse before sending a byte of it
    const limits = await this.api.limits().catch(() => null);
    const max = limits ? limits.attachmentLimit : null;
    if (max !== null && max !== undefined && file.size > max) {
      u.error = `Too large: ${formatSize(file.size)}, the limit is ${formatSize(max)}`;
      this.renderTray();
      return;
    }
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
      avatar(h('span', { class: 'avatar small', 'aria-hidden': 'true' }), u.displayName || u.username, u.id, u.avatar),
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
      this.pushUrl();
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
        this.pushUrl();
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
