/**
 * Public SPI: {@link dev.parley.core.store.ChatStore}, where users, threads, messages and read
 * positions live.
 */
package dev.parley.core.store;
