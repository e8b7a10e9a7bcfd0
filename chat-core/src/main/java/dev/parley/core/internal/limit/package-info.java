/**
 * Internal, may change without notice: token-bucket rate limits.
 */
package dev.parley.core.internal.limit;
