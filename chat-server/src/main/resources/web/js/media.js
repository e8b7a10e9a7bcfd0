// Audio and video attachments that play inline (issue 18). The element loads the server's signed
// link, so the bytes keep the server's protective headers; the server says "audio" or "video"
// only when the bytes themselves prove a playable format, and answers Range requests for seeking.

import { h } from './dom.js';

/** 'audio' or 'video' for a declared audio/* or video/* type, else null. */
export function declaredMedia(contentType) {
  const base = String(contentType || '').split(';')[0].trim().toLowerCase();
  if (base.startsWith('audio/')) return 'audio';
  if (base.startsWith('video/')) return 'video';
  return null;
}

/** A <video controls> or <audio controls> for a checked link ({url, media}), labelled by the file's name. */
export function mediaPlayer(kind, url, name, id) {
  const el = h(kind, {
    class: `attachment-${kind}`, 'data-testid': `attachment-${kind}`, 'data-attachment-id': id,
    controls: true, preload: 'metadata', 'aria-label': name,
  });
  el.src = url;
  return el;
}
