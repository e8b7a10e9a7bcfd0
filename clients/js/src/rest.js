// The REST calls the SDK needs (auth, tickets), plus a generic authenticated JSON request.

import { ParleyError } from './errors.js';

/**
 * @typedef {object} Tokens
 * @property {string} access
 * @property {string} refresh
 * @property {number} [expiresIn] seconds, as the server gives it
 */

/** JSON over fetch against one Parley server. Stateless: tokens are passed in. */
export class Rest {
  /**
   * @param {string} baseUrl e.g. `http://127.0.0.1:8080`
   * @param {typeof fetch} [fetchImpl]
   */
  constructor(baseUrl, fetchImpl = globalThis.fetch) {
    if (!fetchImpl) throw new TypeError('no fetch: pass options.fetch');
    this.baseUrl = baseUrl.replace(/\/+$/, '');
    this.fetch = fetchImpl;
  }

  /**
   * @param {string} method
   * @param {string} path
   * @param {{ token?: string, body?: unknown }} [options]
   * @returns {Promise<any>} the parsed body (undefined for 204)
   */
  async request(method, path, { token, body } = {}) {
    /** @type {Record<string, string>} */
    const headers = {};
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (token) headers.Authorization = `Bearer ${token}`;
    let res;
    const fetchImpl = this.fetch; // called unbound: a browser's fetch refuses any other `this`
    try {
      res = await fetchImpl(`${this.baseUrl}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (e) {
      throw new ParleyError('network', `${method} ${path}: ${e && e.message}${e && e.cause ? ` (${e.cause.code || e.cause.message})` : ''}`);
    }
    const text = await res.text();
    let json;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    if (!res.ok) {
      const err = (json && json.error) || {};
      const code = err.code || (res.status >= 500 ? 'unavailable' : 'bad_request');
      throw new ParleyError(code, err.message || `${method} ${path}: HTTP ${res.status}`, { status: res.status });
    }
    return json;
  }

  /** @returns {Promise<{id: string, username: string, displayName: string}>} */
  register(username, password, displayName) {
    const body = { username, password };
    if (displayName !== undefined) body.displayName = displayName;
    return this.request('POST', '/api/auth/register', { body });
  }

  /** @returns {Promise<Tokens>} */
  login(username, password) {
    return this.request('POST', '/api/auth/login', { body: { username, password } });
  }

  /** @returns {Promise<Tokens>} a new pair; the refresh token given stops working */
  refresh(refreshToken) {
    return this.request('POST', '/api/auth/refresh', { body: { refresh: refreshToken } });
  }

  /** @returns {Promise<string>} a single-use ticket for `/ws?ticket=` */
  async ticket(accessToken) {
    const res = await this.request('POST', '/api/auth/ticket', { token: accessToken });
    return res.ticket;
  }
}
