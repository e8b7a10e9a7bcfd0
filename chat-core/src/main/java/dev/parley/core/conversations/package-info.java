/**
 * Public API: threads and their membership.
 */
package dev.parley.core.conversations;
