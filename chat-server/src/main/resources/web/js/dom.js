// Tiny DOM helpers: no framework, text always set as text (never as HTML).

/** Creates an element: h('li', {class: 'x', dataset: {id}}, child, 'text'). */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

export const $ = (id) => document.getElementById(id);

/**
 * Initials for an avatar, and a stable hue from the id; over them the user's picture when
 * {@code picture} is one (the server's own path of a picture it encoded: nothing else is loaded),
 * which drops away if it fails to load, leaving the initials.
 */
export function avatar(el, name, id, picture) {
  const parts = (name || '?').trim().split(/[\s._-]+/).filter(Boolean);
  el.textContent = ((parts[0] || '?')[0] + (parts[1] ? parts[1][0] : '')).toUpperCase();
  let hash = 0;
  for (const ch of id || name || '') hash = (hash * 31 + ch.charCodeAt(0)) | 0;
  el.style.setProperty('--hue', String(Math.abs(hash) % 360));
  if (isPicturePath(picture)) {
    const img = h('img', { src: picture, alt: '', decoding: 'async', referrerpolicy: 'no-referrer',
      'data-testid': 'avatar-img', draggable: 'false' });
    img.addEventListener('error', () => { img.remove(); delete el.dataset.picture; });
    el.append(img);
    el.dataset.picture = 'true';
  } else {
    delete el.dataset.picture;
  }
  return el;
}

/** A user's picture path as the server gives it: /api/users/{id}/avatar/{version}, nothing else. */
export function isPicturePath(p) {
  return typeof p === 'string' && /^\/api\/users\/[A-Za-z0-9_-]+\/avatar\/[A-Za-z0-9_-]+$/.test(p);
}

const timeFmt = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const dayFmt = new Intl.DateTimeFormat(undefined, { weekday: 'short', day: 'numeric', month: 'short' });

export function time(ts) {
  return ts ? timeFmt.format(new Date(ts)) : '';
}

/** Short time for the thread list: time today, the date otherwise. */
export function shortWhen(ts) {
  if (!ts) return '';
  const d = new Date(ts);
  return d.toDateString() === new Date().toDateString() ? timeFmt.format(d) : dayFmt.format(d);
}

export function day(ts) {
  const d = new Date(ts);
  const today = new Date();
  if (d.toDateString() === today.toDateString()) return 'Today';
  const y = new Date(today);
  y.setDate(today.getDate() - 1);
  if (d.toDateString() === y.toDateString()) return 'Yesterday';
  return dayFmt.format(d);
}

/** A server's message as a sentence: capital first letter, full stop. */
export function sentence(text) {
  const s = String(text || '').trim();
  if (!s) return '';
  return s[0].toUpperCase() + s.slice(1) + (/[.!?]$/.test(s) ? '' : '.');
}

export function debounce(fn, ms) {
  let t;
  return (...args) => {
    clearTimeout(t);
    t = setTimeout(() => fn(...args), ms);
  };
}

export function formatSize(n) {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/**
 * A name someone else chose, made fit to show: no control characters, no invisible formatting
 * (right-to-left overrides, zero-width characters) that could make "x\u202Egnp.html" look like
 * "xlmth.png", whitespace runs collapsed so a trailing ".html" cannot hide behind spaces.
 */
export function safeName(name) {
  const s = String(name || '')
    .replace(/[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]/g, '')
    .replace(/\s+/g, ' ').trim();
  return s || 'file';
}

const SVG_NS = 'http://www.w3.org/2000/svg';
// 24x24 outline paths: drawn by the page itself, so they show without an emoji font
const ICONS = {
  check: 'M9 16.2 4.8 12l-1.4 1.4L9 19 21 7l-1.4-1.4Z',
  clock: 'M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20Zm0 18a8 8 0 1 1 0-16 8 8 0 0 1 0 16Zm.5-13H11v6l5.2 3.2.8-1.3-4.5-2.7Z',
  alert: 'M11 7h2v7h-2Zm0 9h2v2h-2Zm1-14a10 10 0 1 0 0 20 10 10 0 0 0 0-20Zm0 18a8 8 0 1 1 0-16 8 8 0 0 1 0 16Z',
  file: 'M14 2H6a2 2 0 0 0-2 2v16a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2V8Zm4 18H6V4h7v5h5ZM8 12h8v2H8Zm0 4h8v2H8Z',
  clip: 'M16.5 6v11.5a4 4 0 0 1-8 0V5a2.5 2.5 0 0 1 5 0v10.5a1 1 0 0 1-2 0V6H10v9.5a2.5 2.5 0 0 0 5 0V5a4 4 0 0 0-8 0v12.5a5.5 5.5 0 0 0 11 0V6Z',
  down: 'M11 4h2v12.2l5.6-5.6L20 12l-8 8-8-8 1.4-1.4 5.6 5.6Z',
  reply: 'M10 9V5l-7 7 7 7v-4.1c5 0 8.5 1.6 11 5.1-1-5-4-10-11-11Z',
  edit: 'M3 17.25V21h3.75L17.81 9.94l-3.75-3.75ZM20.71 7.04a1 1 0 0 0 0-1.41l-2.34-2.34a1 1 0 0 0-1.41 0l-1.83 1.83 3.75 3.75Z',
  trash: 'M6 19a2 2 0 0 0 2 2h8a2 2 0 0 0 2-2V7H6Zm13-15h-3.5l-1-1h-5l-1 1H5v2h14Z',
  smile: 'M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20Zm0 18a8 8 0 1 1 0-16 8 8 0 0 1 0 16Zm-3.5-9a1.5 1.5 0 1 0 0-3 1.5 1.5 0 0 0 0 3Zm7 0a1.5 1.5 0 1 0 0-3 1.5 1.5 0 0 0 0 3ZM12 17.5a5.5 5.5 0 0 0 5.1-3.5H6.9a5.5 5.5 0 0 0 5.1 3.5Z',
};

/** An inline SVG icon (decorative: the element carrying it has the accessible name). */
export function icon(name, cls = 'icon') {
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('class', cls);
  svg.dataset.icon = name;
  const path = document.createElementNS(SVG_NS, 'path');
  path.setAttribute('d', ICONS[name]);
  svg.append(path);
  return svg;
}

// http(s) URLs only: anything else (javascript:, data:, vbscript:) stays plain text
const URL_RE = /\bhttps?:\/\/[^\s<>"'`]+/gi;
const TRAILING = /[.,;:!?)\]}'"»”’]+$/;

/**
 * Text with its web addresses as links, built as nodes (never HTML): each link opens in a new
 * tab with no opener and no referrer, so the linked page can neither script this tab nor learn
 * which conversation it came from.
 */
export function linkify(text) {
  const s = String(text ?? '');
  const out = [];
  let last = 0;
  for (const m of s.matchAll(URL_RE)) {
    let raw = m[0];
    const trail = raw.match(TRAILING);
    // keep a closing parenthesis that closes one opened inside the address
    if (trail) raw = raw.slice(0, raw.length - trail[0].length);
    if (raw.endsWith('(')) raw = raw.slice(0, -1);
    let url;
    try { url = new URL(raw); } catch { continue; }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') continue;
    if (m.index > last) out.push(s.slice(last, m.index));
    out.push(h('a', { href: url.href, target: '_blank', rel: 'noopener noreferrer', referrerpolicy: 'no-referrer',
      class: 'body-link', 'data-testid': 'message-link' }, raw));
    last = m.index + raw.length;
  }
  if (last < s.length) out.push(s.slice(last));
  return out;
}
