// Message search (contract 7.3): a box in the sidebar, a paged results list, and a jump to the
// message in its conversation. Snippets are built from text nodes and <mark>s, never as HTML.

import { $, h, shortWhen } from './dom.js';

const WORD = /[\p{L}\p{N}]+/gu;

/** Lower case without diacritics, one output char per input char where possible. */
function fold(s) {
  return s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/**
 * The body split into text nodes and <mark> elements around the words of the query (the last
 * word also as a prefix, like the server).
 */
export function highlighted(body, q) {
  const words = (q.match(WORD) || []).map(fold);
  const parts = [];
  let pos = 0;
  for (const m of body.matchAll(WORD)) {
    const w = fold(m[0]);
    if (!words.some((x, i) => w === x || (i === words.length - 1 && w.startsWith(x)))) continue;
    if (m.index > pos) parts.push(document.createTextNode(body.slice(pos, m.index)));
    parts.push(h('mark', { 'data-testid': 'search-mark' }, m[0]));
    pos = m.index + m[0].length;
  }
  if (pos < body.length) parts.push(document.createTextNode(body.slice(pos)));
  return parts;
}

export class MessageSearch {
  constructor(view) {
    this.view = view;
    this.chat = view.chat;
    this.api = view.api;
    this.input = h('input', { id: 'message-search', 'data-testid': 'message-search', type: 'search',
      autocomplete: 'off', placeholder: 'Search messages', 'aria-label': 'Search messages' });
    this.error = h('p', { class: 'search-error', 'data-testid': 'message-search-error', role: 'alert', hidden: true });
    this.list = h('ul', { class: 'message-results', 'data-testid': 'message-results', 'aria-label': 'Messages found' });
    this.more = h('button', { type: 'button', class: 'more-results', 'data-testid': 'message-results-more', hidden: true,
      onclick: () => this.page() }, 'More results');
    const form = h('form', { class: 'search message-search', role: 'search',
      onsubmit: (e) => { e.preventDefault(); this.run(); } }, this.input, this.error, this.list, this.more);
    this.input.addEventListener('keydown', (e) => { if (e.key === 'Escape') this.clear(); });
    $('thread-list').before(form);
  }

  clear() {
    this.input.value = '';
    this.q = null;
    this.error.hidden = true;
    this.list.replaceChildren();
    this.more.hidden = true;
  }

  run() {
    const q = this.input.value.trim();
    this.list.replaceChildren();
    this.more.hidden = true;
    this.error.hidden = true;
    if (!q) return;
    this.q = q;
    this.next = null;
    this.page();
  }

  async page() {
    const q = this.q;
    try {
      const res = await this.api.searchMessages(q, this.next);
      if (q !== this.q) return;
      this.next = res.next;
      this.list.append(...res.results.map((m) => this.item(m)));
      if (!res.results.length && !this.list.children.length) {
        this.list.append(h('li', { class: 'empty', 'data-testid': 'message-results-empty' }, 'No messages found.'));
      }
      this.more.hidden = !res.next;
    } catch (e) {
      if (q !== this.q) return;
      this.error.textContent = e.status === 400
        ? `Cannot search for that: ${e.message}. Type at least one letter or digit.`
        : `Search failed: ${e.message}`;
      this.error.hidden = false;
    }
  }

  item(m) {
    const t = this.chat.threads.get(m.thread);
    const sender = m.sender === this.chat.me.id ? 'You' : this.chat.user(m.sender).displayName;
    return h('li', { 'data-testid': 'message-result', 'data-thread-id': m.thread, 'data-seq': m.seq },
      h('button', { type: 'button', onclick: () => this.show(m.thread, m.seq) },
        h('span', { class: 'result-top' },
          h('span', { class: 'result-sender', 'data-testid': 'result-sender' }, sender),
          h('span', { class: 'result-thread', 'data-testid': 'result-thread' }, t ? this.chat.threadTitle(t) : ''),
          h('time', {}, shortWhen(m.ts))),
        h('span', { class: 'result-snippet', 'data-testid': 'result-snippet' }, highlighted(m.body || '', this.q))));
  }

  /** Opens the conversation, pages back until the message is loaded, then shows it. */
  async show(threadId, seq) {
    await this.view.open(threadId);
    const t = this.chat.threads.get(threadId);
    while (t && !t.messages.has(seq) && t.hasMoreOlder) {
      if (await this.chat.loadOlder(t) === 0 && t.loadingOlder) await new Promise((r) => setTimeout(r, 50));
    }
    // the list renders on the next frame
    for (let i = 0; i < 60; i++) {
      const el = $('message-list').querySelector(`[data-seq="${seq}"]`);
      if (el) {
        for (const old of document.querySelectorAll('.search-hit')) old.classList.remove('search-hit');
        el.classList.add('search-hit');
        el.dataset.highlighted = 'true';
        this.view.pinned = false;
        el.scrollIntoView({ block: 'center' });
        return;
      }
      await new Promise((r) => requestAnimationFrame(r));
    }
    this.view.toast('That message is no longer in the conversation.');
  }
}
