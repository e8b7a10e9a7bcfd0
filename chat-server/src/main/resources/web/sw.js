// Parley's service worker (docs/notifications.md): shows a Web Push (contract 7.5) as a
// notification, and a click on one opens its conversation. Served from the web root, so its scope
// is the whole app. It caches nothing: the app is served fresh from the server.
'use strict';

/** The app's address of a conversation. */
function threadUrl(thread) {
  return new URL(`/#/t/${encodeURIComponent(thread)}`, self.location.origin).href;
}

importScripts('/js/notification-content.js');
const notificationFor = self.parleyNotificationFor;

/** Focuses a window of the app on the conversation, or opens one. */
async function openThread(thread) {
  const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
  const mine = windows.filter((c) => new URL(c.url).origin === self.location.origin);
  if (mine.length === 0) return self.clients.openWindow(threadUrl(thread));
  const client = mine.find((c) => c.focused) || mine[0];
  client.postMessage({ type: 'open-thread', thread });
  try {
    await client.focus();
  } catch {
    // focusing needs the user's click: a page that asked us cannot have us steal the focus
  }
  return client;
}

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

self.addEventListener('push', (event) => {
  let payload = null;
  try {
    payload = event.data ? event.data.json() : null;
  } catch {
    payload = null;
  }
  const n = notificationFor(payload);
  if (!n) return;
  event.waitUntil(self.registration.showNotification(n.title, n.options));
});

self.addEventListener('notificationclick', (event) => {
  const data = event.notification.data || {};
  event.notification.close();
  if (typeof data.thread !== 'string') return;
  event.waitUntil(openThread(data.thread));
});

// from the app's own pages: do what a click does (the tests ask: headless Chromium cannot click
// a notification)
self.addEventListener('message', (event) => {
  const m = event.data || {};
  if (m.type === 'open-thread' && typeof m.thread === 'string') {
    event.waitUntil(openThread(m.thread));
  }
});
