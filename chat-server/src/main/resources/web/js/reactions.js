// Reactions under a message and the small picker of common emoji (issue 15).
// Emoji come from other users: always text, never markup.

import { h } from './dom.js';
import { QUICK_EMOJI } from './threadlog.js';

function names(chat, users) {
  return users.map((id) => (id === chat.me.id ? 'You' : (chat.user(id).displayName || chat.user(id).username))).join(', ');
}

/** The reactions of a message as toggle buttons with their counts; null when there are none. */
export function reactionRow(chat, m, toggle) {
  const entries = Object.entries(m.reactions || {}).filter(([, users]) => users && users.length);
  if (!entries.length) return null;
  return h('ul', { class: 'reactions', 'data-testid': 'reactions', 'aria-label': 'Reactions' },
    entries.map(([emoji, users]) => {
      const mine = users.includes(chat.me.id);
      const who = names(chat, users);
      return h('li', {},
        h('button', {
          type: 'button', class: `reaction${mine ? ' mine' : ''}`, 'data-testid': 'reaction', 'data-emoji': emoji,
          'data-count': users.length, 'data-who': who, title: who, 'aria-pressed': String(mine),
          'aria-label': `${emoji} ${users.length}: ${who}${mine ? ' (select to remove yours)' : ''}`,
          onclick: () => toggle(emoji, !mine),
        },
        h('span', { class: 'reaction-emoji', 'aria-hidden': 'true' }, emoji),
        h('span', { class: 'reaction-count', 'data-testid': 'reaction-count', 'aria-hidden': 'true' }, users.length)));
    }));
}

/** A key that changes whenever the reactions shown would. */
export function reactionSig(m) {
  return Object.entries(m.reactions || {}).map(([e, u]) => `${e}:${u.join(',')}`).join(';');
}

/** The picker: one button per common emoji; picking one that is already yours takes it back. */
export function reactionPicker(chat, m, pick) {
  const el = h('div', { class: 'reaction-picker', 'data-testid': 'reaction-picker', role: 'toolbar', 'aria-label': 'React' },
    QUICK_EMOJI.map((emoji) => {
      const mine = ((m.reactions || {})[emoji] || []).includes(chat.me.id);
      return h('button', {
        type: 'button', class: `reaction-option${mine ? ' mine' : ''}`, 'data-testid': 'reaction-option',
        'data-emoji': emoji, 'aria-pressed': String(mine), 'aria-label': `React with ${emoji}`, title: emoji,
        onclick: (e) => { e.stopPropagation(); pick(emoji, !mine); },
      }, emoji);
    }));
  el.addEventListener('keydown', (e) => { if (e.key === 'Escape') { e.stopPropagation(); el.remove(); } });
  return el;
}
