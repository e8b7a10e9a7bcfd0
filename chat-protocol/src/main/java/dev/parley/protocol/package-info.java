/**
 * Public API: error codes, close codes and the strict JSON helpers of the chat protocol. Jackson
 * only.
 */
package dev.parley.protocol;
