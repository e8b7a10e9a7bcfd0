/**
 * Internal, may change without notice: streamed uploads.
 */
package dev.parley.server.internal.attachments;
