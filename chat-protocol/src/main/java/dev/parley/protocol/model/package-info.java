/**
 * Public API: users, threads, messages and attachments as clients see them.
 */
package dev.parley.protocol.model;
