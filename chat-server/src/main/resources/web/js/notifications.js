// Telling the user about new messages (docs/notifications.md): the unread count in the tab title
// and on the favicon, desktop notifications on the service worker's registration (/sw.js) with a
// Web Push subscription for when no tab is open, and an optional sound. Muted threads stay silent.

import { h } from './dom.js';
import './notification-content.js';

const APP_TITLE = 'Parley';
const SOUND_KEY = 'parley.sound';
const PREVIEW_CODE_POINTS = 100;

/** Unread messages in the threads the user has not muted. */
export function unreadCount(threads) {
  let n = 0;
  for (const t of threads) if (!t.muted) n += t.unread || 0;
  return n;
}

/** The tab's title for an unread count: "(3) Parley". */
export function titleFor(count) {
  return count > 0 ? `(${count}) ${APP_TITLE}` : APP_TITLE;
}

/**
 * The favicon for an unread count. The page's CSP allows images from this origin only (no data:
 * or blob: URLs), so the badged icons are files: /badge/1.svg to /badge/9.svg, then "9+".
 */
export function faviconFor(count) {
  if (count <= 0) return '/favicon.svg';
  return count > 9 ? '/badge/many.svg' : `/badge/${count}.svg`;
}

/** A live message in the shape of a push payload (contract 7.5), for the service worker. */
export function payloadFor(message, sender) {
  const body = message.body || '';
  const first = message.attachments && message.attachments[0];
  const preview = body ? [...body].slice(0, PREVIEW_CODE_POINTS).join('') : (first && first.filename) || '';
  return {
    type: 'message', thread: message.thread, seq: message.seq,
    sender: { id: message.sender, displayName: sender.displayName || sender.username || 'Someone' },
    preview,
  };
}

function fromBase64Url(s) {
  const b64 = s.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (s.length % 4)) % 4);
  return Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
}

function toBase64Url(buffer) {
  return btoa(String.fromCharCode(...new Uint8Array(buffer))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Notifications for one signed-in user in this tab. */
export class Notifications {
  constructor(chat, api, conn) {
    this.chat = chat;
    this.api = api;
    this.conn = conn;
    this.supported = window.isSecureContext && 'serviceWorker' in navigator
      && 'PushManager' in window && 'Notification' in window;
    this.registration = null; // a promise of the service worker's registration
    this.alerted = new Map(); // thread id -> highest seq we told the user about
    this.sounds = 0; // beeps played, for the curious (and the tests)
    this.audio = null;
    this.started = false;
  }

  get subscriptionKey() { return `parley.push.${this.chat.me.id}`; }

  get soundOn() { return localStorage.getItem(SOUND_KEY) === 'on'; }

  start() {
    this.showUnread();
    if (this.started) return;
    this.started = true;
    this.chat.addEventListener('change', (e) => { if (e.detail.what === 'threads') this.showUnread(); });
    this.conn.addEventListener('frame', (e) => this.onFrame(e.detail));
    // while the session still holds: the server's copy of this browser's subscription goes too
    this.api.beforeSignOut(() => this.forgetOnServer());
    this.api.addEventListener('logout', () => this.forgetBrowser());
    this.renderSettings();
    if (!this.supported) return;
    // registering asks the user nothing; permission is asked for only from the settings button
    this.registration = navigator.serviceWorker.register('/sw.js').then(() => navigator.serviceWorker.ready);
    this.registration.catch((e) => console.warn('service worker not registered', e));
    navigator.serviceWorker.addEventListener('message', (e) => {
      const m = e.data || {};
      if (m.type === 'open-thread' && typeof m.thread === 'string') {
        location.hash = `#/t/${encodeURIComponent(m.thread)}`; // the view follows the address
      }
    });
    if (Notification.permission === 'granted' && localStorage.getItem(this.subscriptionKey)) {
      this.subscribe().catch((e) => console.warn('push subscription not renewed', e));
    }
  }

  showUnread() {
    const n = unreadCount(this.chat.threads.values());
    document.title = titleFor(n);
    const icon = document.querySelector('link[rel="icon"]');
    const href = faviconFor(n);
    if (icon && icon.getAttribute('href') !== href) icon.setAttribute('href', href);
  }

  /** Away: the tab is hidden or another window has the focus. */
  away() {
    return document.hidden || !document.hasFocus();
  }

  onFrame(f) {
    if (f.type !== 'message' || f.deleted || !this.chat.me || f.sender === this.chat.me.id) return;
    const t = this.chat.threads.get(f.thread);
    if (!t || t.muted || !this.away()) return;
    if ((this.alerted.get(t.id) || 0) >= f.seq) return;
    this.alerted.set(t.id, f.seq);
    if (this.soundOn) this.beep();
    // connected users get no push (7.5): this tab shows the notification itself, on the worker's
    // registration (a click goes to the worker, as for a push). Not by a message to the worker: one
    // sent soon after the worker started was lost more often than not.
    if (this.supported && Notification.permission === 'granted' && localStorage.getItem(this.subscriptionKey)) {
      const n = globalThis.parleyNotificationFor(payloadFor(f, this.chat.user(f.sender)));
      this.registration.then((reg) => reg.showNotification(n.title, n.options))
        .catch((e) => console.warn('notification not shown', e));
    }
  }

  /** A short, quiet two-tone beep made with WebAudio: no sound file to fetch. */
  beep() {
    const Ctx = window.AudioContext || window.webkitAudioContext;
    if (!Ctx) return;
    if (!this.audio) this.audio = new Ctx();
    const ctx = this.audio;
    if (ctx.state === 'suspended') ctx.resume().catch(() => {});
    const now = ctx.currentTime;
    const gain = ctx.createGain();
    gain.gain.setValueAtTime(0.0001, now);
    gain.gain.exponentialRampToValueAtTime(0.15, now + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, now + 0.3);
    gain.connect(ctx.destination);
    const tone = ctx.createOscillator();
    tone.frequency.setValueAtTime(880, now);
    tone.frequency.setValueAtTime(1320, now + 0.12);
    tone.connect(gain);
    tone.start(now);
    tone.stop(now + 0.32);
    this.sounds += 1;
  }

  /** Subscribes this browser with the server's VAPID key and gives the subscription to the server. */
  async subscribe() {
    const reg = await this.registration;
    const { publicKey } = await this.api.json('GET', '/api/push/key', undefined, { auth: false });
    let sub = await reg.pushManager.getSubscription();
    const key = sub && sub.options && sub.options.applicationServerKey;
    if (sub && key && toBase64Url(key) !== publicKey) {
      await sub.unsubscribe(); // made for another server key: push services would refuse it
      sub = null;
    }
    const kept = JSON.parse(localStorage.getItem(this.subscriptionKey) || 'null');
    if (sub && kept && kept.endpoint === sub.endpoint) return kept;
    if (!sub) sub = await reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: fromBase64Url(publicKey) });
    const { id } = await this.api.json('POST', '/api/push/subscriptions', sub.toJSON());
    const record = { id, endpoint: sub.endpoint };
    localStorage.setItem(this.subscriptionKey, JSON.stringify(record));
    return record;
  }

  /** Stops pushes to this browser for this user. */
  async unsubscribe() {
    const kept = JSON.parse(localStorage.getItem(this.subscriptionKey) || 'null');
    localStorage.removeItem(this.subscriptionKey);
    if (kept) await this.api.json('DELETE', `/api/push/subscriptions/${encodeURIComponent(kept.id)}`).catch(() => {});
    const reg = await this.registration;
    const sub = await reg.pushManager.getSubscription();
    if (sub) await sub.unsubscribe();
  }

  /** Deletes this browser's subscription on the server (signing out runs it before the revocation). */
  async forgetOnServer() {
    if (!this.chat.me) return;
    const kept = JSON.parse(localStorage.getItem(this.subscriptionKey) || 'null');
    if (!kept) return;
    await this.api.json('DELETE', `/api/push/subscriptions/${encodeURIComponent(kept.id)}`);
    localStorage.removeItem(this.subscriptionKey);
  }

  /** After sign-out this browser must not show the previous user's messages. */
  forgetBrowser() {
    if (this.chat.me) localStorage.removeItem(this.subscriptionKey);
    if (!this.registration) return;
    this.registration.then((reg) => reg.pushManager.getSubscription())
      .then((sub) => sub && sub.unsubscribe()).catch(() => {});
  }

  /** The "Notifications" part of the account dialog: the permission button and the sound setting. */
  renderSettings() {
    const dialog = document.getElementById('account-dialog');
    if (!dialog) return;
    const state = h('p', { class: 'hint-text', 'data-testid': 'notify-state', role: 'status' });
    const button = h('button', { type: 'button', 'data-testid': 'notify-toggle' });
    const sound = h('input', { type: 'checkbox', 'data-testid': 'notify-sound' });
    sound.checked = this.soundOn;
    sound.addEventListener('change', () => {
      localStorage.setItem(SOUND_KEY, sound.checked ? 'on' : 'off');
      if (sound.checked) this.beep(); // a sample, and a click unlocks audio in the browser
    });
    const render = () => {
      const on = this.supported && Notification.permission === 'granted' && localStorage.getItem(this.subscriptionKey);
      button.hidden = !this.supported || Notification.permission === 'denied';
      button.textContent = on ? 'Turn off notifications' : 'Turn on notifications';
      if (!this.supported) state.textContent = 'This browser offers notifications only on https pages (or on localhost).';
      else if (Notification.permission === 'denied') state.textContent = 'Notifications are blocked in this browser\'s site settings.';
      else state.textContent = on ? 'On: new messages show as notifications when Parley is in the background or closed.' : 'Off.';
    };
    button.addEventListener('click', async () => {
      button.disabled = true;
      try {
        if (localStorage.getItem(this.subscriptionKey)) {
          await this.unsubscribe();
        } else if (await Notification.requestPermission() === 'granted') { // asked only on this click
          await this.subscribe();
        }
      } catch (e) {
        console.warn('notifications', e);
        state.textContent = 'Could not turn on notifications here.';
        button.disabled = false;
        return;
      }
      button.disabled = false;
      render();
    });
    render();
    const section = h('section', { class: 'notify-settings', 'data-testid': 'notify-settings' },
      h('h3', {}, 'Notifications'), state, h('div', { class: 'dialog-actions' }, button),
      h('label', { class: 'check' }, sound, ' Play a sound for new messages when Parley is in the background'));
    const sessions = [...dialog.querySelectorAll('h3')].find((e) => e.textContent === 'Sessions');
    dialog.insertBefore(section, sessions || dialog.lastElementChild);
  }
}
