/** The client's inner parts (outbox, backoff, frame codec); they may change in any release. */
package dev.parley.client.internal;
