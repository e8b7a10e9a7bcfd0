// One error type for everything the SDK rejects with: the server's error code when there is one.

/**
 * An error carrying a machine-readable code: one of the server's codes (`bad_request`,
 * `unauthorized`, `forbidden`, `not_found`, `conflict`, `too_large`, `rate_limited`,
 * `unavailable`, `internal`) or one of the SDK's own (`closed`, `timeout`, `cancelled`,
 * `network`).
 */
export class ParleyError extends Error {
  /**
   * @param {string} code
   * @param {string} [message]
   * @param {object} [details] the error frame or REST body, status, ...
   */
  constructor(code, message, details = {}) {
    super(message || code);
    this.name = 'ParleyError';
    /** @type {string} */
    this.code = code;
    /** @type {number | undefined} HTTP status, for REST errors */
    this.status = details.status;
    /** @type {object | undefined} the error frame, for WebSocket errors */
    this.frame = details.frame;
  }
}

/** Codes after which the same request may succeed later, unchanged. */
export const RETRYABLE = new Set(['closed', 'timeout', 'rate_limited', 'unavailable', 'network']);
