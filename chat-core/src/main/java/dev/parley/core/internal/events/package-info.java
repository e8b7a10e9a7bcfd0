/**
 * Internal, may change without notice: delivering engine events to the host's listeners.
 */
package dev.parley.core.internal.events;
