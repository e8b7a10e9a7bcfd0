// The group info panel (contract section 6 and 7.4): a group's title and its members with their
// roles; rename, add and remove members, name and unname admins, leave. Opened from the header of
// a group conversation, it follows `thread` events while open. Titles and names are whatever
// someone typed: they are set as text, never as HTML.

import { $, h, avatar, debounce, sentence } from './dom.js';

const ROLE_RANK = { creator: 0, admin: 1, member: 2 };
const ROLE_PHRASE = { creator: 'the creator', admin: 'an admin', member: 'a member' };

/** creator, admin or member: a user's role in a group. */
export function roleOf(t, userId) {
  if (userId === t.creator) return 'creator';
  return (t.admins || []).includes(userId) ? 'admin' : 'member';
}

/**
 * What a user may do in a group, by the server's rules (docs/protocol.md, "Group roles"). Only
 * decides which controls to offer: the server checks every call again.
 */
export function powers(t, userId) {
  const role = roleOf(t, userId);
  return {
    role,
    rename: role !== 'member',
    nameAdmins: role === 'creator',
    remove: (other) => other !== userId
      && (role === 'creator' || (role === 'admin' && roleOf(t, other) === 'member')),
  };
}

/** Why a call failed, in a sentence the user can act on. */
function explain(what, e) {
  if (e instanceof TypeError) return `Could not ${what}: the server cannot be reached. Try again.`;
  if (e.status === 403) return `The server refused to ${what}. ${sentence(e.message)}`;
  if (e.status === 404) return `Could not ${what}: that person or group is gone. ${sentence(e.message)}`;
  return `Could not ${what}. ${sentence(e.message)}`;
}

export class GroupPanel {
  constructor(view) {
    this.view = view;
    this.chat = view.chat;
    this.api = view.api;
    this.threadId = null; // the group on show while the panel is open
    this.shownSig = null;
    this.shownTitle = null;
    this.opener = h('button', { type: 'button', class: 'head-toggle', 'data-testid': 'group-info-button',
      'aria-haspopup': 'dialog', title: 'Members, roles, rename, leave', hidden: true,
      onclick: () => this.open() }, 'Group info');
    document.querySelector('#conversation .conv-head').append(this.opener);
    this.build();
    this.chat.addEventListener('change', (e) => {
      const what = e.detail.what;
      if (what === 'threads' || what === 'active') this.renderOpener();
      if (what === 'threads' || what === 'active' || what === 'presence') this.refresh();
    });
    this.chat.addEventListener('removed', (e) => {
      this.view.toast(`You were removed from “${this.chat.threadTitle(e.detail.thread)}”.`);
    });
  }

  build() {
    this.heading = h('h2', { id: 'group-panel-heading', 'data-testid': 'group-panel-title' });
    this.summary = h('p', { class: 'hint-text', 'data-testid': 'group-panel-summary' });
    this.titleInput = h('input', { id: 'group-rename-input', 'data-testid': 'group-rename-input', maxlength: '200',
      autocomplete: 'off', spellcheck: 'false', 'aria-describedby': 'group-rename-hint' });
    this.renameButton = h('button', { type: 'submit', class: 'primary', 'data-testid': 'group-rename',
      'aria-label': 'Rename the group' }, 'Rename');
    this.renameHint = h('p', { id: 'group-rename-hint', class: 'hint-text', 'data-testid': 'group-rename-hint' });
    const renameForm = h('form', { class: 'group-rename', 'aria-label': 'Rename the group',
      onsubmit: (e) => { e.preventDefault(); this.rename(); } },
    h('label', { class: 'field', for: 'group-rename-input' }, h('span', {}, 'Group title')),
    h('div', { class: 'group-row' }, this.titleInput, this.renameButton), this.renameHint);

    this.memberList = h('ul', { class: 'group-members', 'data-testid': 'group-member-list',
      'aria-labelledby': 'group-members-heading' });
    this.addInput = h('input', { id: 'group-add-search', 'data-testid': 'group-add-search', type: 'search',
      autocomplete: 'off', spellcheck: 'false', placeholder: 'Search a username', 'aria-controls': 'group-add-results' });
    this.addResults = h('ul', { id: 'group-add-results', class: 'user-results inline', 'data-testid': 'group-add-results',
      role: 'listbox', 'aria-label': 'Users to add' });
    this.error = h('p', { class: 'form-error', 'data-testid': 'group-panel-error', role: 'alert' });
    this.done = h('p', { class: 'form-done', 'data-testid': 'group-panel-done', role: 'status' });
    this.closeButton = h('button', { type: 'button', 'data-testid': 'group-panel-close', 'aria-label': 'Close the group panel',
      onclick: () => this.close() }, 'Close');
    this.leaveButton = h('button', { type: 'button', class: 'danger', 'data-testid': 'group-leave',
      'aria-label': 'Leave the group', onclick: () => this.askLeave() }, 'Leave group');
    this.leaveQuestion = h('p', { id: 'group-leave-question', 'data-testid': 'group-leave-question' });
    this.stayButton = h('button', { type: 'button', 'data-testid': 'group-leave-cancel', 'aria-label': 'Stay in the group',
      onclick: () => this.cancelLeave() }, 'Stay');
    this.leaveConfirm = h('div', { class: 'group-leave-confirm', 'data-testid': 'group-leave-confirm-box', role: 'group',
      'aria-labelledby': 'group-leave-question', hidden: true },
    this.leaveQuestion,
    h('div', { class: 'dialog-actions' }, this.stayButton,
      h('button', { type: 'button', class: 'danger', 'data-testid': 'group-leave-confirm',
        'aria-label': 'Yes, leave the group', onclick: () => this.leave() }, 'Leave')));

    this.dialog = h('dialog', { id: 'group-panel', class: 'dialog group-panel', 'data-testid': 'group-panel',
      'aria-labelledby': 'group-panel-heading' },
    this.heading, this.summary, renameForm,
    h('h3', { id: 'group-members-heading' }, 'Members'), this.memberList,
    h('label', { class: 'field' }, h('span', {}, 'Add a member'), this.addInput), this.addResults,
    this.error, this.done,
    h('div', { class: 'dialog-actions' }, this.closeButton, this.leaveButton),
    this.leaveConfirm);
    document.body.append(this.dialog);
    // Esc (the dialog's cancel), the Close button and a vanished group all end here
    this.dialog.addEventListener('close', () => this.closed());

    const search = debounce(() => this.view.searchUsers(this.addInput.value.trim(), this.addResults,
      (u) => this.add(u), this.memberIds()), 200);
    this.addInput.addEventListener('input', search);
    this.addInput.addEventListener('keydown', (e) => {
      if (e.key !== 'Enter') return;
      e.preventDefault();
      const first = this.addResults.querySelector('button');
      if (first) first.click();
    });
  }

  /** The group on show, while it is still ours. */
  current() {
    const t = this.threadId ? this.chat.threads.get(this.threadId) : null;
    return t && t.kind === 'group' ? t : null;
  }

  memberIds() {
    const t = this.current();
    return new Set(t ? t.members.map((m) => m.id) : []);
  }

  renderOpener() {
    const t = this.chat.active;
    this.opener.hidden = !t || t.kind !== 'group';
  }

  open() {
    const t = this.chat.active;
    if (!t || t.kind !== 'group') return;
    this.threadId = t.id;
    this.shownSig = null;
    this.shownTitle = null;
    this.error.textContent = '';
    this.done.textContent = '';
    this.addInput.value = '';
    this.addResults.replaceChildren();
    this.leaveConfirm.hidden = true;
    this.render(t);
    if (!this.dialog.open) this.dialog.showModal();
    (this.titleInput.disabled ? this.addInput : this.titleInput).focus();
  }

  close() {
    if (this.dialog.open) this.dialog.close();
  }

  /** Focus goes back to the opener, or to the list when the conversation went away. */
  closed() {
    this.threadId = null;
    this.leaveConfirm.hidden = true;
    if (!this.opener.hidden && this.chat.active) {
      this.opener.focus();
      return;
    }
    ($('thread-list').querySelector('button') || $('user-search')).focus();
  }

  /** Follows the model while open: closes when the group is gone or another one is on screen. */
  refresh() {
    if (!this.dialog.open) return;
    const t = this.current();
    if (!t || this.chat.activeId !== t.id) {
      this.close();
      return;
    }
    this.render(t);
  }

  render(t) {
    const me = this.chat.me.id;
    const p = powers(t, me);
    const presence = t.members.map((m) => this.view.presenceOf(m.id));
    const sig = JSON.stringify([t.title, t.creator, t.admins, t.members.map((m) => [m.id, m.username, m.displayName, m.avatar]), presence]);
    if (sig === this.shownSig) return; // a new message, say: nothing here changed
    this.shownSig = sig;
    const title = this.chat.threadTitle(t);
    this.heading.textContent = title;
    const count = t.members.length;
    this.summary.textContent = `${count} ${count === 1 ? 'member' : 'members'} · you are ${ROLE_PHRASE[p.role]}`;
    // the field follows the title, unless the user is typing a new one
    if (document.activeElement !== this.titleInput || this.titleInput.value === this.shownTitle) {
      this.titleInput.value = t.title || '';
    }
    this.shownTitle = t.title || '';
    this.titleInput.disabled = !p.rename;
    this.renameButton.disabled = !p.rename;
    this.renameHint.textContent = p.rename ? '' : 'Only the group’s creator and admins can rename it.';
    this.renameHint.hidden = p.rename;
    if (!this.leaveConfirm.hidden) this.leaveQuestion.textContent = this.leaveText(t, p);
    this.renderMembers(t, p);
  }

  renderMembers(t, p) {
    const active = document.activeElement;
    const row = active && this.memberList.contains(active) ? active.closest('[data-user-id]') : null;
    const keep = row ? { user: row.dataset.userId, control: active.dataset.testid } : null;
    const members = [...t.members].sort((a, b) => ROLE_RANK[roleOf(t, a.id)] - ROLE_RANK[roleOf(t, b.id)]
      || (a.displayName || a.username).localeCompare(b.displayName || b.username));
    this.memberList.replaceChildren(...members.map((u) => this.memberRow(t, u, p)));
    if (!keep) return;
    // a redraw must not throw the keyboard user out of the list
    const again = this.memberList.querySelector(
      `[data-user-id="${CSS.escape(keep.user)}"] [data-testid="${CSS.escape(keep.control || '')}"]`);
    (again && !again.hidden ? again : this.addInput).focus();
  }

  memberRow(t, u, p) {
    const mine = u.id === this.chat.me.id;
    const role = roleOf(t, u.id);
    const name = u.displayName || u.username;
    const status = mine ? null : this.view.presenceOf(u.id);
    const dot = status ? h('span', { class: `presence ${status}`, 'data-testid': 'member-presence', 'data-status': status,
      role: 'img', 'aria-label': status === 'unknown' ? 'status unknown' : status }) : null;
    const admin = role === 'admin';
    const adminToggle = p.nameAdmins && !mine && role !== 'creator'
      ? h('button', { type: 'button', class: 'head-toggle', 'data-testid': 'member-admin-toggle',
        'aria-label': admin ? `Remove @${u.username} as admin` : `Make @${u.username} an admin`,
        onclick: () => this.setAdmin(u, !admin) }, admin ? 'Remove admin' : 'Make admin')
      : null;
    // present but hidden when not allowed, so that a forced click still meets the server's check
    const remove = mine ? null : h('button', { type: 'button', class: 'head-toggle', 'data-testid': 'member-remove',
      'aria-label': `Remove @${u.username} from the group`, hidden: !p.remove(u.id),
      onclick: () => this.remove(u) }, 'Remove');
    return h('li', { class: 'group-member', 'data-testid': 'group-member', 'data-user-id': u.id,
      'data-username': u.username, 'data-role': role },
    h('span', { class: 'avatar-wrap' }, avatar(h('span', { class: 'avatar small', 'aria-hidden': 'true' }), name, u.id, u.avatar), dot),
    h('span', { class: 'user-names' },
      h('span', { 'data-testid': 'member-name' }, mine ? `${name} (you)` : name),
      h('small', {}, `@${u.username}`)),
    h('span', { class: `role-badge ${role}`, 'data-testid': 'member-role' }, role),
    h('span', { class: 'member-actions' }, adminToggle, remove));
  }

  /** Runs one change; says what happened, or why the server refused, under the list. */
  async act(what, change, doneText) {
    this.error.textContent = '';
    this.done.textContent = '';
    try {
      await change();
      this.done.textContent = doneText;
      return true;
    } catch (e) {
      this.error.textContent = explain(what, e);
      return false;
    }
  }

  async rename() {
    const t = this.current();
    if (!t) return;
    const title = this.titleInput.value.trim();
    if (!title) {
      this.error.textContent = 'Give the group a title.';
      this.titleInput.focus();
      return;
    }
    if (title === t.title) return;
    await this.act('rename the group', async () => this.chat.onThread(await this.api.renameThread(t.id, title)), 'Renamed.');
  }

  async add(u) {
    const t = this.current();
    if (!t) return;
    this.addInput.value = '';
    this.addResults.replaceChildren();
    await this.act(`add @${u.username}`, async () => this.chat.onThread(await this.api.addMember(t.id, u.id)),
      `Added @${u.username}.`);
    this.addInput.focus();
  }

  async remove(u) {
    const t = this.current();
    if (!t) return;
    await this.act(`remove @${u.username}`, async () => {
      await this.api.removeMember(t.id, u.id);
      await this.chat.refreshThread(t.id);
    }, `Removed @${u.username}.`);
  }

  async setAdmin(u, admin) {
    const t = this.current();
    if (!t) return;
    await this.act(admin ? `make @${u.username} an admin` : `remove @${u.username} as admin`, async () => {
      await this.api.setAdmin(t.id, u.id, admin);
      await this.chat.refreshThread(t.id);
    }, admin ? `@${u.username} is now an admin.` : `@${u.username} is no longer an admin.`);
  }

  leaveText(t, p) {
    const creator = p.role === 'creator'
      ? ' You created it: once you leave, no one can name or unname its admins.' : '';
    return `Leave “${this.chat.threadTitle(t)}”? It goes off your list and you get none of its messages unless someone adds you again.${creator}`;
  }

  askLeave() {
    const t = this.current();
    if (!t) return;
    this.leaveQuestion.textContent = this.leaveText(t, powers(t, this.chat.me.id));
    this.leaveConfirm.hidden = false;
    this.stayButton.focus();
  }

  cancelLeave() {
    this.leaveConfirm.hidden = true;
    this.leaveButton.focus();
  }

  async leave() {
    const t = this.current();
    if (!t) return;
    const title = this.chat.threadTitle(t);
    const left = await this.act('leave the group', () => this.chat.leave(t.id), '');
    if (!left) return;
    this.close(); // already closed when the group went off the list
    this.view.toast(`You left “${title}”.`);
  }
}
