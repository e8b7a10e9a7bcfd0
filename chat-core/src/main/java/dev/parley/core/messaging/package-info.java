/**
 * Public API: sending, history, read positions, typing.
 */
package dev.parley.core.messaging;
