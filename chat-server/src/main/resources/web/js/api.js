// REST client: tokens in localStorage, refresh before expiry, uploads with progress.

const TOKENS_KEY = 'parley.tokens';

/** An error answer of the REST API: HTTP status plus the contract's error code. */
export class ApiError extends Error {
  constructor(status, code, message) {
    super(message || code || `HTTP ${status}`);
    this.status = status;
    this.code = code;
  }
}

/**
 * Talks to the REST API. Emits 'tokens' (detail: the new access token) after every refresh (its
 * own or another tab's) and 'logout' when the session ends (signed out here or in another tab,
 * refresh token refused, access refused right after a refresh).
 */
export class Api extends EventTarget {
  constructor(base = '') {
    super();
    this.base = base;
    this.tokens = readTokens();
    this.refreshing = null;
    this.refreshTimer = null;
    this.signOutSteps = [];
    this.watchOtherTabs();
  }

  /**
   * Adds a step that signing out (here, or everywhere) runs while the session is still valid,
   * for server-side clean-up such as deleting this browser's push subscription. Steps get at most
   * two seconds together; a failing step does not stop the sign-out.
   */
  beforeSignOut(step) {
    this.signOutSteps.push(step);
  }

  async runSignOutSteps() {
    if (!this.tokens || this.signOutSteps.length === 0) return;
    const steps = Promise.allSettled(this.signOutSteps.map((step) => Promise.resolve().then(step)));
    await Promise.race([steps, new Promise((resolve) => setTimeout(resolve, 2000))]);
  }

  get signedIn() {
    return this.tokens !== null;
  }

  get access() {
    return this.tokens ? this.tokens.access : null;
  }

  /** Milliseconds left before the access token expires (negative when expired). */
  accessTtlLeft() {
    return this.tokens ? this.tokens.expiresAt - Date.now() : -1;
  }

  async register(username, password, displayName) {
    const body = { username, password };
    if (displayName) body.displayName = displayName;
    return this.json('POST', '/api/auth/register', body, { auth: false });
  }

  async login(username, password) {
    const t = await this.json('POST', '/api/auth/login', { username, password }, { auth: false });
    this.store(t);
    return t;
  }

  /** Signs out: revokes this session on the server first, then forgets it here. */
  async logout() {
    await this.runSignOutSteps();
    const refresh = this.tokens && this.tokens.refresh;
    try {
      if (refresh) {
        await fetch(`${this.base}/api/auth/logout`, {
          method: 'POST', headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ refresh }), keepalive: true,
        });
      }
    } catch {
      // offline: the session ends here anyway, and expires on the server
    } finally {
      this.forget();
    }
  }

  /** Revokes every session of this user (every device), then forgets this one. */
  async logoutEverywhere() {
    await this.runSignOutSteps();
    try {
      await this.json('POST', '/api/auth/logout-all', undefined);
    } finally {
      this.forget();
    }
  }

  /** 204 on success; ApiError 403 (wrong current password) or 400 (new one too short). */
  changePassword(current, next) {
    return this.json('POST', '/api/users/me/password', { current, new: next });
  }

  /** A single-use ticket that opens the WebSocket (so no token ever appears in a URL). */
  async ticket() {
    const t = await this.json('POST', '/api/auth/ticket', undefined);
    return t.ticket;
  }

  /** Forgets the session in this tab and every other tab (they see the storage event). */
  forget() {
    clearTimeout(this.refreshTimer);
    const was = this.tokens !== null;
    this.tokens = null;
    localStorage.removeItem(TOKENS_KEY);
    if (was) this.dispatchEvent(new Event('logout'));
  }

  /** Gets a fresh token pair; concurrent callers in this tab share one request. */
  refresh() {
    if (!this.refreshing) {
      const used = this.tokens ? this.tokens.refresh : null;
      const run = () => this.doRefresh(used);
      // one tab at a time: a refresh token works once, and the loser would revoke the session
      const locked = navigator.locks && navigator.locks.request
        ? navigator.locks.request('parley-refresh', run) : run();
      this.refreshing = locked.finally(() => { this.refreshing = null; });
    }
    return this.refreshing;
  }

  async doRefresh(used) {
    // inside the lock: another tab may have rotated the pair meanwhile; then take its tokens
    const stored = readTokens();
    if (!stored) {
      this.forget();
      throw new ApiError(401, 'unauthorized', 'signed out');
    }
    if (stored.refresh !== used && stored.expiresAt - Date.now() > 10_000) {
      this.adopt(stored);
      return stored.access;
    }
    let t;
    try {
      t = await this.json('POST', '/api/auth/refresh', { refresh: stored.refresh }, { auth: false });
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) this.forget();
      throw e;
    }
    this.store(t);
    this.dispatchEvent(new CustomEvent('tokens', { detail: t.access }));
    return t.access;
  }

  /** Tokens another tab stored: use them here too. */
  adopt(tokens) {
    this.tokens = tokens;
    this.scheduleRefresh();
    this.dispatchEvent(new CustomEvent('tokens', { detail: tokens.access }));
  }

  /** Keeps this tab in step with the others: their rotations and their sign-outs. */
  watchOtherTabs() {
    window.addEventListener('storage', (e) => {
      if (e.key !== TOKENS_KEY && e.key !== null) return;
      const stored = readTokens();
      if (!stored) {
        if (this.tokens) this.forget();
      } else if (this.tokens && stored.refresh !== this.tokens.refresh) {
        this.adopt(stored);
      }
    });
  }

  /** A usable access token, refreshed first when it is about to expire. */
  async freshAccess() {
    const margin = Math.min(15_000, (this.tokens && this.tokens.lifetime ? this.tokens.lifetime : 900_000) * 0.2);
    if (this.accessTtlLeft() < margin) return this.refresh();
    return this.access;
  }

  store(t) {
    this.tokens = { access: t.access, refresh: t.refresh, expiresAt: Date.now() + t.expiresIn * 1000,
      lifetime: t.expiresIn * 1000 };
    localStorage.setItem(TOKENS_KEY, JSON.stringify(this.tokens));
    this.scheduleRefresh();
  }

  /** Refreshes when 80 % of the access token's lifetime has passed. */
  scheduleRefresh() {
    clearTimeout(this.refreshTimer);
    if (!this.tokens) return;
    const lifetime = this.tokens.lifetime || 900_000;
    const at = this.tokens.expiresAt - lifetime * 0.2;
    const delay = Math.max(0, Math.min(at - Date.now(), 2 ** 31 - 1));
    this.refreshTimer = setTimeout(() => {
      this.refresh().catch(() => {
        // offline: try again soon; a refused refresh token has already signed us out
        if (this.tokens) this.refreshTimer = setTimeout(() => this.scheduleRefresh(), 5_000);
      });
    }, delay);
  }

  /** A JSON call; retries once after refreshing when the access token was refused. */
  async json(method, path, body, { auth = true, retry = true } = {}) {
    const headers = {};
    const raw = body instanceof Blob; // bytes as they are (a picture), else JSON
    if (body !== undefined) headers['Content-Type'] = raw ? (body.type || 'application/octet-stream') : 'application/json';
    if (auth) headers.Authorization = `Bearer ${await this.freshAccess()}`;
    const res = await fetch(this.base + path, {
      method, headers, body: body === undefined || raw ? body : JSON.stringify(body),
    });
    if (res.status === 401 && auth && this.tokens) {
      // refused access token: refresh once and retry; refused again means the session is over
      if (!retry) {
        this.forget();
        throw new ApiError(401, 'unauthorized', 'signed out');
      }
      await this.refresh();
      return this.json(method, path, body, { auth, retry: false });
    }
    if (res.status === 204) return null;
    const data = await res.json().catch(() => null);
    if (!res.ok) {
      const err = data && data.error ? data.error : {};
      const e = new ApiError(res.status, err.code, err.message);
      const after = Number(res.headers.get('Retry-After'));
      if (after > 0) e.retryAfter = after;
      throw e;
    }
    return data;
  }

  me() { return this.json('GET', '/api/users/me'); }
  /** A user with {online, lastSeen} (epoch ms or null; both hidden while a block stands). */
  user(id) { return this.json('GET', `/api/users/${encodeURIComponent(id)}`); }
  changeDisplayName(displayName) { return this.json('PATCH', '/api/users/me', { displayName }); }
  /** Makes the image (a Blob) the caller's picture; the server crops and encodes it again. */
  setPicture(blob) { return this.json('PUT', '/api/users/me/avatar', blob); }
  removePicture() { return this.json('DELETE', '/api/users/me/avatar'); }
  searchUsers(q) { return this.json('GET', `/api/users?q=${encodeURIComponent(q)}`); }
  threads() { return this.json('GET', '/api/threads'); }
  thread(id) { return this.json('GET', `/api/threads/${encodeURIComponent(id)}`); }
  createDirect(userId) { return this.json('POST', '/api/threads', { kind: 'direct', members: [userId] }); }
  createGroup(title, members) { return this.json('POST', '/api/threads', { kind: 'group', title, members }); }

  // ---- search, blocking, muting (contract 7.3, 7.4) ----
  searchMessages(q, cursor) {
    const p = new URLSearchParams({ q });
    if (cursor) p.set('cursor', cursor);
    return this.json('GET', `/api/search?${p}`);
  }
  blocks() { return this.json('GET', '/api/users/me/blocks'); }
  block(userId) { return this.json('PUT', `/api/users/${encodeURIComponent(userId)}/block`); }
  unblock(userId) { return this.json('DELETE', `/api/users/${encodeURIComponent(userId)}/block`); }
  mute(threadId) { return this.json('PUT', `/api/threads/${encodeURIComponent(threadId)}/mute`); }
  unmute(threadId) { return this.json('DELETE', `/api/threads/${encodeURIComponent(threadId)}/mute`); }

  // ---- group membership and roles (contract section 6 and 7.4) ----
  renameThread(threadId, title) { return this.json('PATCH', `/api/threads/${encodeURIComponent(threadId)}`, { title }); }
  addMember(threadId, userId) { return this.json('POST', `/api/threads/${encodeURIComponent(threadId)}/members`, { userId }); }
  removeMember(threadId, userId) {
    return this.json('DELETE', `/api/threads/${encodeURIComponent(threadId)}/members/${encodeURIComponent(userId)}`);
  }
  setAdmin(threadId, userId, admin) {
    return this.json(admin ? 'PUT' : 'DELETE', `/api/threads/${encodeURIComponent(threadId)}/admins/${encodeURIComponent(userId)}`);
  }

  /** {bodyLimit, attachmentLimit, maxAttachments}: what the server refuses, asked once. */
  limits() {
    if (!this.limitsPromise) {
      this.limitsPromise = this.json('GET', '/api/limits');
      this.limitsPromise.catch(() => { this.limitsPromise = null; });
    }
    return this.limitsPromise;
  }

  messages(threadId, { before, after, limit = 50 } = {}) {
    const q = new URLSearchParams({ limit: String(limit) });
    if (before !== undefined) q.set('before', String(before));
    if (after !== undefined) q.set('after', String(after));
    return this.json('GET', `/api/threads/${encodeURIComponent(threadId)}/messages?${q}`);
  }

  // ---- thread log (issue 15): the REST twins of the edit, delete and react frames ----
  editMessage(threadId, seq, body) {
    return this.json('PATCH', `/api/threads/${encodeURIComponent(threadId)}/messages/${seq}`, { body });
  }

  deleteMessage(threadId, seq) {
    return this.json('DELETE', `/api/threads/${encodeURIComponent(threadId)}/messages/${seq}`);
  }

  react(threadId, seq, emoji, on) {
    return this.json(on ? 'PUT' : 'DELETE',
      `/api/threads/${encodeURIComponent(threadId)}/messages/${seq}/reactions/${encodeURIComponent(emoji)}`);
  }

  /**
   * Uploads a file as raw bytes with XMLHttpRequest, reporting progress (0..1).
   * Resolves to the attachment object. A refused token gets one refresh and one retry.
   */
  async upload(file, onProgress, retry = true) {
    try {
      return await this.sendUpload(file, onProgress, await this.freshAccess());
    } catch (e) {
      if (!(e instanceof ApiError) || e.status !== 401 || !this.tokens) throw e;
      if (!retry) {
        this.forget();
        throw e;
      }
      await this.refresh();
      return this.upload(file, onProgress, false);
    }
  }

  sendUpload(file, onProgress, token) {
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open('POST', `${this.base}/api/attachments`);
      xhr.setRequestHeader('Authorization', `Bearer ${token}`);
      xhr.setRequestHeader('Content-Type', file.type || 'application/octet-stream');
      xhr.setRequestHeader('X-Filename', filenameHeader(file.name || 'file'));
      xhr.upload.onprogress = (e) => { if (e.lengthComputable && onProgress) onProgress(e.loaded / e.total); };
      xhr.onload = () => {
        let data = null;
        try { data = JSON.parse(xhr.responseText); } catch { /* not JSON */ }
        if (xhr.status === 201 || xhr.status === 200) resolve(data);
        else reject(new ApiError(xhr.status, data && data.error && data.error.code,
          (data && data.error && data.error.message) || `upload failed (${xhr.status})`));
      };
      xhr.onerror = () => reject(new ApiError(0, 'unavailable', 'network error during upload'));
      xhr.send(file);
    });
  }

  /**
   * A short-lived signed URL of an attachment that the browser may load itself:
   * {url, expiresAt, inline, media, contentType, width, height, thumbnail}; inline is true only
   * for a proven raster image; width/height (as shown) and thumbnail (the signed URL of the
   * server's small copy) are null unless the server reads the image.
   */
  attachmentLink(id) {
    return this.json('POST', `/api/attachments/${encodeURIComponent(id)}/link`);
  }
}

function readTokens() {
  try {
    const t = JSON.parse(localStorage.getItem(TOKENS_KEY));
    return t && t.access && t.refresh ? t : null;
  } catch {
    return null;
  }
}

/**
 * The file's name for the X-Filename header. Header values are Latin-1 at best, so a name with
 * anything outside printable ASCII goes as an RFC 5987 ext-value (UTF-8'' and the percent-encoded
 * UTF-8 bytes), which the server decodes; the name itself is kept.
 */
export function filenameHeader(name) {
  // whole code points only, and no lone surrogate (encodeURIComponent would throw on one)
  const s = Array.from(String(name)).slice(0, 255)
    .map((c) => (c.length === 1 && c >= '\uD800' && c <= '\uDFFF' ? '\uFFFD' : c)).join('');
  if (/^[\x20-\x7e]*$/.test(s) && !/^utf-8''/i.test(s)) return s;
  return `UTF-8''${encodeURIComponent(s).replace(/['()*!]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;
}
