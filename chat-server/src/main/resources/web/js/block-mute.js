// Header controls of the open conversation (contract 7.4): mute any conversation, block or
// unblock the other person of a direct one. Muting shows in the conversation list too (view.js).

import { $, h } from './dom.js';

export class BlockMute {
  constructor(view) {
    this.view = view;
    this.chat = view.chat;
    this.api = view.api;
    this.blocked = new Set(); // ids of the users I block
    this.muteButton = h('button', { type: 'button', class: 'head-toggle', 'data-testid': 'mute-toggle',
      onclick: () => this.toggleMute() });
    this.blockButton = h('button', { type: 'button', class: 'head-toggle', 'data-testid': 'block-toggle',
      onclick: () => this.toggleBlock() });
    this.notice = h('p', { class: 'blocked-notice', 'data-testid': 'blocked-notice', role: 'status', hidden: true });
    document.querySelector('#conversation .conv-head').append(this.muteButton, this.blockButton);
    $('message-scroller').before(this.notice);
    this.chat.addEventListener('change', (e) => {
      if (e.detail.what === 'threads' || e.detail.what === 'active') this.render();
    });
  }

  async start() {
    try {
      const res = await this.api.blocks();
      this.blocked = new Set(res.users.map((u) => u.id));
    } catch {
      // not fatal: the header then offers "Block" until told otherwise
    }
    this.render();
  }

  render() {
    const t = this.chat.active;
    if (!t) return;
    this.muteButton.textContent = t.muted ? 'Unmute' : 'Mute';
    this.muteButton.setAttribute('aria-pressed', String(t.muted));
    this.muteButton.dataset.muted = String(t.muted);
    const peer = t.kind === 'direct' ? this.chat.peer(t) : null;
    this.blockButton.hidden = !peer;
    const blocked = !!peer && this.blocked.has(peer.id);
    this.notice.hidden = !blocked;
    if (!peer) return;
    this.blockButton.textContent = blocked ? 'Unblock' : 'Block';
    this.blockButton.dataset.blocked = String(blocked);
    this.blockButton.setAttribute('aria-label', `${blocked ? 'Unblock' : 'Block'} @${peer.username}`);
    this.notice.textContent = `You blocked @${peer.username}: they cannot send you messages here. Unblock to let them again.`;
  }

  async toggleMute() {
    const t = this.chat.active;
    if (!t) return;
    try {
      if (t.muted) await this.api.unmute(t.id);
      else await this.api.mute(t.id);
      t.muted = !t.muted;
      this.chat.emit('threads');
    } catch (e) {
      this.view.toast(`Could not change muting: ${e.message}`);
    }
  }

  async toggleBlock() {
    const t = this.chat.active;
    const peer = t && t.kind === 'direct' ? this.chat.peer(t) : null;
    if (!peer) return;
    const blocked = this.blocked.has(peer.id);
    try {
      if (blocked) await this.api.unblock(peer.id);
      else await this.api.block(peer.id);
      if (blocked) this.blocked.delete(peer.id);
      else this.blocked.add(peer.id);
      this.render();
    } catch (e) {
      this.view.toast(`Could not ${blocked ? 'unblock' : 'block'}: ${e.message}`);
    }
  }
}
