/**
 * Internal, may change without notice: streamed uploads, signed download links, and what makes
 * serving uploaded bytes safe (magic numbers, Content-Disposition).
 */
package dev.parley.server.internal.attachments;
