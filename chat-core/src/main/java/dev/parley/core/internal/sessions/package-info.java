/**
 * Internal, may change without notice: the node-local cache of revoked login sessions.
 */
package dev.parley.core.internal.sessions;
