// Your profile (issue 18): the display name and the picture, in a dialog opened from your own
// avatar; and "last seen" of the people you chat with. A chosen photo is scaled down in the
// browser before it goes up (the server takes at most its request limit, 1 MiB by default),
// and the server decodes, crops and encodes it again: what others load is never the file itself.

import { $, h, avatar, sentence } from './dom.js';

/** The longest side of a photo as uploaded; the server keeps at most 256 x 256. */
const UPLOAD_SIDE = 512;
const dayTime = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const dayMonth = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short' });

/** "last seen today at 14:05", "… yesterday at …", "… 3 Dec"; "offline" when unknown. */
export function lastSeenText(ts, now = new Date()) {
  if (!ts) return 'offline';
  const seen = new Date(ts);
  const midnight = new Date(now.getFullYear(), now.getMonth(), now.getDate()).getTime();
  if (ts >= midnight) return `last seen today at ${dayTime.format(seen)}`;
  if (ts >= midnight - 86_400_000) return `last seen yesterday at ${dayTime.format(seen)}`;
  return `last seen ${dayMonth.format(seen)}`;
}

/**
 * The image in {@code file}, as the browser decodes it, at most UPLOAD_SIDE on its longest side:
 * a JPEG, or a PNG for a PNG or GIF (which may be transparent). Rejects when the browser cannot
 * decode it.
 */
async function scaledDown(file) {
  const bitmap = await createImageBitmap(file);
  try {
    const f = Math.min(1, UPLOAD_SIDE / Math.max(bitmap.width, bitmap.height));
    const canvas = h('canvas', { width: Math.max(1, Math.round(bitmap.width * f)),
      height: Math.max(1, Math.round(bitmap.height * f)) });
    canvas.getContext('2d').drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    const type = /^image\/(png|gif)$/.test(file.type) ? 'image/png' : 'image/jpeg';
    const blob = await new Promise((resolve) => canvas.toBlob(resolve, type, 0.9));
    if (!blob) throw new Error('the browser could not encode the picture');
    return blob;
  } finally {
    bitmap.close();
  }
}

export class ProfileDialog {
  constructor(view) {
    this.view = view;
    this.chat = view.chat;
    this.api = view.api;
    this.asked = new Map(); // user id -> when "last seen" was last asked of the server
    this.build();
    $('profile-button').addEventListener('click', () => this.open());
  }

  build() {
    this.preview = h('span', { class: 'avatar large', 'data-testid': 'profile-avatar', 'aria-hidden': 'true' });
    this.fileInput = h('input', { type: 'file', accept: 'image/png,image/jpeg,image/gif', class: 'visually-hidden',
      tabindex: '-1', 'aria-hidden': 'true', 'data-testid': 'profile-photo-input',
      onchange: (e) => { const f = e.target.files[0]; e.target.value = ''; if (f) this.upload(f); } });
    this.chooseButton = h('button', { type: 'button', 'data-testid': 'profile-photo-choose',
      onclick: () => this.fileInput.click() }, 'Choose photo');
    this.removeButton = h('button', { type: 'button', class: 'danger', 'data-testid': 'profile-photo-remove',
      onclick: () => this.removePicture() }, 'Remove photo');
    this.nameInput = h('input', { id: 'profile-name', 'data-testid': 'profile-name', maxlength: '64',
      autocomplete: 'name', required: true });
    this.error = h('p', { class: 'form-error', 'data-testid': 'profile-error', role: 'alert' });
    this.done = h('p', { class: 'form-done', 'data-testid': 'profile-done', role: 'status' });
    this.username = h('p', { class: 'hint-text', 'data-testid': 'profile-username' });
    const form = h('form', { novalidate: true, 'aria-label': 'Display name',
      onsubmit: (e) => { e.preventDefault(); this.saveName(); } },
    h('label', { class: 'field', for: 'profile-name' }, h('span', {}, 'Display name')),
    h('div', { class: 'group-row' }, this.nameInput,
      h('button', { type: 'submit', class: 'primary', 'data-testid': 'profile-save' }, 'Save')));
    this.dialog = h('dialog', { id: 'profile-dialog', class: 'dialog profile-dialog', 'data-testid': 'profile-dialog',
      'aria-labelledby': 'profile-dialog-title' },
    h('h2', { id: 'profile-dialog-title' }, 'Your profile'),
    h('div', { class: 'profile-photo' }, this.preview,
      h('div', { class: 'profile-photo-actions' }, this.chooseButton, this.removeButton, this.fileInput)),
    this.username, form, this.error, this.done,
    h('div', { class: 'dialog-actions' },
      h('button', { type: 'button', 'data-testid': 'profile-close', onclick: () => this.dialog.close() }, 'Close')));
    document.body.append(this.dialog);
    // Esc (the dialog's cancel) and Close both end here: focus goes back to the opener
    this.dialog.addEventListener('close', () => $('profile-button').focus());
    this.chat.addEventListener('change', (e) => { if (e.detail.what === 'me' && this.dialog.open) this.render(); });
  }

  open() {
    this.error.textContent = '';
    this.done.textContent = '';
    this.nameInput.value = this.chat.me.displayName || this.chat.me.username;
    this.render();
    if (!this.dialog.open) this.dialog.showModal();
    this.nameInput.focus();
  }

  render() {
    const me = this.chat.me;
    avatar(this.preview, me.displayName || me.username, me.id, me.avatar);
    this.removeButton.hidden = !me.avatar;
    this.username.textContent = `@${me.username}`;
  }

  /** The server's answer becomes who we are, everywhere on the page. */
  took(user, done) {
    this.chat.setMe(user);
    this.render();
    this.error.textContent = '';
    this.done.textContent = done;
  }

  failed(what, e) {
    this.done.textContent = '';
    this.error.textContent = e instanceof TypeError
      ? `Could not ${what}: the server cannot be reached. Try again.`
      : `Could not ${what}. ${sentence(e.message)}`;
  }

  async saveName() {
    const name = this.nameInput.value.trim();
    if (!name) {
      this.failed('save the name', new Error('a display name cannot be empty'));
      return;
    }
    try {
      this.took(await this.api.changeDisplayName(name), 'Name saved.');
    } catch (e) {
      this.failed('save the name', e);
    }
  }

  async upload(file) {
    let picture;
    try {
      picture = await scaledDown(file);
    } catch {
      this.done.textContent = '';
      this.error.textContent = 'That file is not an image we can use. Choose a PNG, JPEG or GIF photo.';
      return;
    }
    this.done.textContent = 'Uploading…';
    try {
      this.took(await this.api.setPicture(picture), 'Photo saved.');
    } catch (e) {
      this.failed('save the photo', e);
    }
  }

  async removePicture() {
    try {
      this.took(await this.api.removePicture(), 'Photo removed.');
      this.chooseButton.focus(); // the button that had focus is gone
    } catch (e) {
      this.failed('remove the photo', e);
    }
  }

  /**
   * Asks the server when someone was last seen, at most once a minute per person (a header
   * redraw calls this often); the header is drawn again with the answer.
   */
  askLastSeen(userId) {
    const now = Date.now();
    if (now - (this.asked.get(userId) || 0) < 60_000) return;
    this.asked.set(userId, now);
    this.api.user(userId).then((u) => {
      const known = this.chat.lastSeen.get(userId) || 0;
      if (u.lastSeen && u.lastSeen > known) this.chat.lastSeen.set(userId, u.lastSeen);
      this.view.queue('presence');
    }).catch(() => this.asked.delete(userId));
  }
}
