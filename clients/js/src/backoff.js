// Exponential backoff with jitter: the delay before reconnect attempt n.

/**
 * @typedef {object} BackoffOptions
 * @property {number} [base] first delay in ms (default 500)
 * @property {number} [max] the cap in ms (default 30000)
 */

/**
 * Delays that double from `base` up to `max`; each is drawn at random from the upper half of its
 * window ("equal jitter"), so that clients dropped together do not come back together.
 */
export class Backoff {
  /** @param {BackoffOptions} [options] */
  constructor({ base = 500, max = 30_000 } = {}) {
    this.base = base;
    this.max = max;
    this.attempt = 0;
  }

  /** The next delay in ms; each call makes the following one longer. */
  next() {
    const cap = Math.min(this.max, this.base * 2 ** Math.min(this.attempt, 30));
    this.attempt += 1;
    return cap / 2 + Math.random() * (cap / 2);
  }

  reset() {
    this.attempt = 0;
  }
}
