// The access/refresh pair: when the access token expires, and one refresh at a time.

import { ParleyError } from './errors.js';

/** The `exp` claim of a JWT in epoch ms, or undefined when it cannot be read. */
export function jwtExpiry(token) {
  try {
    const part = token.split('.')[1];
    const b64 = part.replace(/-/g, '+').replace(/_/g, '/');
    const padded = b64 + '='.repeat((4 - (b64.length % 4)) % 4);
    const claims = JSON.parse(atob(padded));
    return typeof claims.exp === 'number' ? claims.exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Holds the current tokens and refreshes them. Concurrent callers of {@link refresh} share one
 * request, because the server rotates the refresh token on every use.
 */
export class TokenKeeper {
  /**
   * @param {import('./rest.js').Rest} rest
   * @param {(tokens: {access: string, refresh: string, expiresAt: number | undefined}) => void} onChange
   */
  constructor(rest, onChange) {
    this.rest = rest;
    this.onChange = onChange;
    /** @type {string | undefined} */
    this.access = undefined;
    /** @type {string | undefined} */
    this.refreshToken = undefined;
    /** @type {number | undefined} epoch ms */
    this.expiresAt = undefined;
    /** @type {number | undefined} epoch ms when the current access token was obtained */
    this.issuedAt = undefined;
    /** @type {Promise<void> | null} */
    this.inFlight = null;
  }

  /** @param {{access: string, refresh?: string, expiresIn?: number}} t */
  set(t) {
    const now = Date.now();
    this.access = t.access;
    if (t.refresh) this.refreshToken = t.refresh;
    this.expiresAt = t.expiresIn !== undefined ? now + t.expiresIn * 1000 : jwtExpiry(t.access);
    this.issuedAt = now;
    this.onChange({ access: this.access, refresh: this.refreshToken, expiresAt: this.expiresAt });
  }

  get canRefresh() {
    return Boolean(this.refreshToken);
  }

  /**
   * When to refresh: `margin` ms before expiry, but at most a third of the token's lifetime
   * before it, so that short-lived tokens are still used for most of their life.
   * @param {number} margin
   * @returns {number | undefined} epoch ms
   */
  refreshAt(margin) {
    if (this.expiresAt === undefined) return undefined;
    const life = this.expiresAt - (this.issuedAt ?? Date.now());
    return this.expiresAt - Math.min(margin, Math.max(0, life / 3));
  }

  /** True when the access token is missing or due for a refresh. */
  due(margin) {
    if (!this.access) return true;
    const at = this.refreshAt(margin);
    return at !== undefined && Date.now() >= at;
  }

  /** Exchanges the refresh token for a new pair; rejects with `unauthorized` when refused. */
  refresh() {
    if (!this.inFlight) {
      if (!this.refreshToken) return Promise.reject(new ParleyError('unauthorized', 'no refresh token'));
      const presented = this.refreshToken;
      this.inFlight = this.rest.refresh(presented)
        .then((t) => this.set(t))
        .finally(() => { this.inFlight = null; });
    }
    return this.inFlight;
  }
}

/**
 * What the client asks of an application that keeps the tokens itself (for example a browser
 * app that shares them between tabs in localStorage and refreshes them on its own schedule).
 * @typedef {object} TokenStore
 * @property {() => (string | null | undefined)} access the current access token, none when signed out
 * @property {() => Promise<unknown>} refresh gets a new pair; rejects with code `unauthorized` or
 *   HTTP status 401 when the session is over
 * @property {(listener: () => void) => (() => void)} [subscribe] calls `listener` whenever the
 *   access token changes (a refresh, another tab's); returns a function that stops it
 * @property {(tokens: {access: string, refresh: string, expiresIn?: number}) => void} [save]
 *   keeps the tokens of a `login()` through the client
 */

/**
 * The same interface as {@link TokenKeeper} over an application's {@link TokenStore}: the store
 * holds the tokens and decides when to refresh them; the client only asks it to refresh after
 * the server refused the access token (a refused ticket, a 4401 close, a 401 answer).
 */
export class StoreTokens {
  /**
   * @param {TokenStore} store
   * @param {(tokens: {access: string, refresh: undefined, expiresAt: undefined}) => void} onChange
   */
  constructor(store, onChange) {
    if (typeof store.access !== 'function' || typeof store.refresh !== 'function') {
      throw new TypeError('options.tokenStore needs access() and refresh()');
    }
    this.store = store;
    this.onChange = onChange;
    this.unsubscribe = store.subscribe ? store.subscribe(() => this.changed()) : () => {};
  }

  changed() {
    const access = this.access;
    if (access) this.onChange({ access, refresh: undefined, expiresAt: undefined });
  }

  get access() {
    return this.store.access() || undefined;
  }

  /** @param {{access: string, refresh: string, expiresIn?: number}} t */
  set(t) {
    if (!this.store.save) throw new TypeError('options.tokenStore has no save(): log in through the store');
    this.store.save(t);
    if (!this.store.subscribe) this.changed();
  }

  /** The store decides; asking it is always worth a try. */
  get canRefresh() {
    return true;
  }

  /** The store schedules its own refreshes. */
  refreshAt() {
    return undefined;
  }

  due() {
    return !this.access;
  }

  /** Asks the store for a new pair; a refused session becomes a ParleyError `unauthorized`. */
  async refresh() {
    try {
      await this.store.refresh();
    } catch (e) {
      if (e && (e.code === 'unauthorized' || e.status === 401)) {
        throw new ParleyError('unauthorized', (e && e.message) || 'session refused', { status: 401 });
      }
      if (e instanceof ParleyError) throw e;
      throw new ParleyError('network', `token refresh: ${e && e.message}`);
    }
    if (!this.store.subscribe) this.changed();
  }
}
