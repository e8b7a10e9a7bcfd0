/**
 * Internal, may change without notice: "last seen" times on their way to the store.
 */
package dev.parley.core.internal.presence;
