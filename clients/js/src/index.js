// @parley/client: a client for Parley's REST and WebSocket protocol (docs/protocol.md).

export { ParleyClient } from './client.js';
export { ParleyError } from './errors.js';
export { Rest } from './rest.js';
export { Backoff } from './backoff.js';
export { newClientId } from './outbox.js';
