// The thread log on screen (issue 15): message actions (reply, react, edit, delete), the quote of
// a reply, the composer's reply and edit modes, the delete confirmation, the "edited" marker and
// the "message deleted" tombstone. Hooked into ChatView at a few marked places.

import { $, h, icon, time } from './dom.js';
import { mayDelete, mayEdit } from './threadlog.js';
import { reactionPicker, reactionRow, reactionSig } from './reactions.js';

const SNIPPET = 140;
const HIGHLIGHT_MS = 2_000;

const nextPaint = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));

export class ThreadLogView {
  constructor(view) {
    this.view = view;
    this.chat = view.chat;
    this.reply = null; // {thread, seq} while replying
    this.editing = null; // {thread, seq, draft} while editing
    this.pendingDelete = null;
    this.buildComposerContext();
    this.buildDeleteDialog();
    $('composer-input').addEventListener('keydown', (e) => {
      if (e.key === 'Escape' && (this.reply || this.editing)) {
        e.preventDefault();
        this.cancel();
      } else if (e.key === 'ArrowUp' && !e.shiftKey && !e.altKey && !e.ctrlKey && !e.metaKey
        && !e.isComposing && !this.editing && e.target.value === '') {
        // Up in an empty composer edits your last message, as in other chat apps
        const t = this.chat.active;
        const m = t && this.lastEditable(t);
        if (m) {
          e.preventDefault();
          this.startEdit(t, m);
        }
      }
    });
    document.addEventListener('click', (e) => {
      if (!e.target.closest('.reaction-picker, [data-testid="react-button"]')) this.closePicker();
    });
  }

  // ---- the banner above the composer: "Replying to …" or "Editing" ----

  buildComposerContext() {
    this.contextText = h('span', { class: 'compose-context-text', 'data-testid': 'compose-context-text' });
    this.contextLabel = h('strong', { class: 'compose-context-label' });
    this.context = h('div', { class: 'compose-context', 'data-testid': 'compose-context', hidden: true },
      h('div', { class: 'compose-context-main' }, this.contextLabel, this.contextText),
      h('button', { type: 'button', class: 'icon-button small', 'data-testid': 'compose-cancel',
        'aria-label': 'Cancel (Esc)', title: 'Cancel (Esc)', onclick: () => this.cancel() }, '×'));
    $('composer').prepend(this.context);
  }

  showContext(mode, label, text) {
    this.context.hidden = false;
    this.context.dataset.mode = mode;
    this.contextLabel.textContent = label;
    this.contextText.textContent = text;
  }

  startReply(t, m) {
    if (this.editing) this.cancel();
    this.reply = { thread: t.id, seq: m.seq };
    this.showContext('reply', `Replying to ${this.senderName(m)}`, this.snippet(m));
    $('composer-input').focus();
  }

  /** The seq to send as replyTo with the next message of this thread, and the reply ends. */
  takeReply(threadId) {
    if (!this.reply || this.reply.thread !== threadId) return undefined;
    const seq = this.reply.seq;
    this.reply = null;
    this.context.hidden = true;
    return seq;
  }

  /** Your newest message in the thread that you may still edit, or null. */
  lastEditable(t) {
    let last = null;
    for (const m of t.messages.values()) {
      if (mayEdit(this.chat, m) && (!last || m.seq > last.seq)) last = m;
    }
    return last;
  }

  startEdit(t, m) {
    const input = $('composer-input');
    if (this.reply) this.cancel();
    if (!this.editing) this.editing = { thread: t.id, seq: m.seq, draft: input.value };
    else this.editing.seq = m.seq;
    input.value = m.body || '';
    this.showContext('edit', 'Editing message', this.snippet(m));
    this.view.autosize();
    input.focus();
    input.setSelectionRange(input.value.length, input.value.length);
  }

  /** Enter in edit mode: saves the edit (an empty body is refused: deleting is the way). */
  submitEdit() {
    const { thread, seq } = this.editing;
    const t = this.chat.threads.get(thread);
    const m = t && t.messages.get(seq);
    const body = $('composer-input').value.trim();
    if (!body) { this.view.toast('A message cannot be empty: delete it instead'); return; }
    this.cancel();
    if (!t || !m || m.deleted || body === m.body) return;
    this.chat.log.edit(t, seq, body).catch((e) => this.view.toast(`Not edited: ${e.message}`));
  }

  /** Leaves reply or edit mode; an edit gives the composer its draft back. */
  cancel() {
    if (this.editing) {
      $('composer-input').value = this.editing.draft;
      this.editing = null;
      this.view.autosize();
    }
    this.reply = null;
    this.context.hidden = true;
    this.context.dataset.mode = '';
  }

  /** Another conversation is opened: no reply or edit carries over. */
  reset() {
    this.cancel();
    this.closePicker();
  }

  /** What the composer holds as the draft (while editing, the draft set aside). */
  draftText(value) {
    return this.editing ? this.editing.draft : value;
  }

  // ---- delete, with confirmation ----

  buildDeleteDialog() {
    this.dialog = h('dialog', { class: 'dialog', 'data-testid': 'delete-dialog', 'aria-labelledby': 'delete-dialog-title' },
      h('h2', { id: 'delete-dialog-title' }, 'Delete this message?'),
      h('p', { class: 'hint-text', 'data-testid': 'delete-dialog-text' }),
      h('div', { class: 'dialog-actions' },
        h('button', { type: 'button', 'data-testid': 'delete-cancel', onclick: () => this.dialog.close() }, 'Cancel'),
        h('button', { type: 'button', class: 'danger', 'data-testid': 'delete-confirm', onclick: () => this.confirmDelete() },
          'Delete for everyone')));
    this.dialog.addEventListener('close', () => { this.pendingDelete = null; });
    document.body.append(this.dialog);
  }

  askDelete(t, m) {
    this.pendingDelete = { thread: t.id, seq: m.seq };
    this.dialog.querySelector('[data-testid="delete-dialog-text"]').textContent =
      `“${this.snippet(m)}” will be removed for everyone in this conversation.`;
    this.dialog.showModal();
    this.dialog.querySelector('[data-testid="delete-cancel"]').focus();
  }

  confirmDelete() {
    const p = this.pendingDelete;
    this.dialog.close();
    const t = p && this.chat.threads.get(p.thread);
    if (!t) return;
    if (this.editing && this.editing.seq === p.seq) this.cancel();
    this.chat.log.remove(t, p.seq).catch((e) => this.view.toast(`Not deleted: ${e.message}`));
  }

  // ---- reactions ----

  togglePicker(t, m, li) {
    const open = li.querySelector('.reaction-picker');
    this.closePicker();
    if (open) return;
    const picker = reactionPicker(this.chat, m, (emoji, on) => {
      this.closePicker();
      this.react(t, m.seq, emoji, on);
    });
    li.append(picker);
    picker.querySelector('button').focus();
  }

  closePicker() {
    for (const p of document.querySelectorAll('.reaction-picker')) p.remove();
  }

  react(t, seq, emoji, on) {
    this.chat.log.react(t, seq, emoji, on).catch((e) => this.view.toast(`Reaction not saved: ${e.message}`));
  }

  // ---- a message's extras ----

  senderName(m) {
    if (m.sender === this.chat.me.id) return 'yourself';
    const u = this.chat.user(m.sender);
    return u.displayName || u.username;
  }

  snippet(m) {
    if (!m || m.loading) return '…';
    if (m.missing) return 'Original message not available';
    if (m.deleted) return 'Message deleted';
    const body = (m.body || '').replace(/\s+/g, ' ').trim();
    if (!body) return m.attachments && m.attachments.length ? 'Attachment' : '';
    return body.length > SNIPPET ? `${body.slice(0, SNIPPET)}…` : body;
  }

  /** Everything of the log that changes how a message looks, for the view's element cache. */
  sig(t, m) {
    let quote = '';
    if (m.replyTo !== undefined) {
      const q = this.chat.log.quoted(t, m.replyTo);
      quote = `${q.loading ? 'l' : ''}${q.missing ? 'x' : ''}${q.deleted ? 'd' : ''}|${q.body || ''}`;
    }
    return `${m.body}|${m.editedAt || ''}|${m.deleted ? 'D' : ''}|${reactionSig(m)}|${quote}`;
  }

  /** Adds the quote, the edited marker, the tombstone, the reactions and the actions. */
  decorate(t, m, li, { bubble, body, meta }) {
    if (m.deleted) {
      li.classList.add('deleted');
      li.dataset.deleted = 'true';
      for (const el of bubble.querySelectorAll('.attachments')) el.remove();
      body.replaceWith(h('span', { class: 'body tombstone', 'data-testid': 'message-tombstone' }, 'Message deleted'));
      return;
    }
    if (m.replyTo !== undefined) {
      const q = this.chat.log.quoted(t, m.replyTo);
      const quote = h('button', { type: 'button', class: 'quote', 'data-testid': 'reply-quote', 'data-reply-to': m.replyTo,
        title: 'Show the original message', onclick: () => this.jumpTo(t, m.replyTo) },
      q.loading || q.missing ? null : h('span', { class: 'quote-sender' }, this.senderName(q)),
      h('span', { class: 'quote-text', 'data-testid': 'reply-quote-text' }, this.snippet(q)));
      body.before(quote);
    }
    if (m.editedAt) {
      meta.prepend(h('span', { class: 'edited', 'data-testid': 'edited-marker', title: `Edited ${time(m.editedAt)}` }, 'edited'));
    }
    const reactions = reactionRow(this.chat, m, (emoji, on) => this.react(t, m.seq, emoji, on));
    if (reactions) li.append(reactions);
    if (m.pending || m.seq === undefined) return;
    // inline SVG, not emoji: a system without an emoji font would show boxes (issue 18)
    const action = (testid, label, glyph, onclick) => h('button', { type: 'button', class: 'msg-action',
      'data-testid': testid, 'aria-label': label, title: label, onclick }, icon(glyph));
    li.append(h('div', { class: 'msg-actions', 'data-testid': 'message-actions', role: 'toolbar', 'aria-label': 'Message actions' },
      action('reply-button', 'Reply', 'reply', () => this.startReply(t, m)),
      action('react-button', 'React', 'smile', () => this.togglePicker(t, m, li)),
      mayEdit(this.chat, m) ? action('edit-button', 'Edit', 'edit', () => this.startEdit(t, m)) : null,
      mayDelete(this.chat, t, m) ? action('delete-button', 'Delete', 'trash', () => this.askDelete(t, m)) : null));
  }

  /** Scrolls to the quoted message (loading older pages if needed) and highlights it briefly. */
  async jumpTo(t, seq) {
    if (!t.messages.has(seq)) {
      $('history-status').textContent = 'Loading earlier messages…';
      let found = false;
      try {
        found = await this.chat.log.loadUntil(t, seq);
      } catch {
        found = false;
      }
      if (!found) {
        this.view.toast('The original message is not loaded');
        return;
      }
    }
    await nextPaint();
    const el = document.querySelector(`#message-list [data-testid="message"][data-seq="${seq}"]`);
    if (!el || this.chat.activeId !== t.id) {
      this.view.toast('The original message is not loaded');
      return;
    }
    this.view.stickToBottom = false;
    el.scrollIntoView({ block: 'center' });
    el.classList.add('highlight');
    el.dataset.highlight = 'true';
    setTimeout(() => { el.classList.remove('highlight'); delete el.dataset.highlight; }, HIGHLIGHT_MS);
  }
}
