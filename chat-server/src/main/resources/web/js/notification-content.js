// What the notification of a new message says, from a payload in the shape of a Web Push
// (contract 7.5). Shared by the service worker, which shows pushes (it loads this file with
// importScripts), and the page, which shows one itself while its tab is in the background (it
// imports this file as a module). So it is a plain script that defines one global and exports
// nothing.
'use strict';

/** A push payload as the title and options of a notification, or null for anything else. */
globalThis.parleyNotificationFor = (payload) => {
  if (!payload || payload.type !== 'message' || typeof payload.thread !== 'string') return null;
  const sender = payload.sender && typeof payload.sender.displayName === 'string'
    ? payload.sender.displayName : 'Someone';
  const preview = typeof payload.preview === 'string' && payload.preview ? payload.preview : 'New message';
  return {
    title: sender,
    options: {
      body: preview, // shown as text by the system, never as markup
      tag: `thread:${payload.thread}`, // one notification per conversation, the newest
      renotify: true,
      icon: '/favicon.svg',
      data: { thread: payload.thread, seq: payload.seq },
    },
  };
};
