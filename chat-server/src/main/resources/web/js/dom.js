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

/** Initials for an avatar, and a stable hue from the id. */
export function avatar(el, name, id) {
  const parts = (name || '?').trim().split(/[\s._-]+/).filter(Boolean);
  el.textContent = ((parts[0] || '?')[0] + (parts[1] ? parts[1][0] : '')).toUpperCase();
  let hash = 0;
  for (const ch of id || name || '') hash = (hash * 31 + ch.charCodeAt(0)) | 0;
  el.style.setProperty('--hue', String(Math.abs(hash) % 360));
  return el;
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
