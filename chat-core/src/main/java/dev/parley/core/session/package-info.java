/**
 * Transport SPI: a transport hands each authenticated connection to a {@link
 * dev.parley.core.session.Session} and implements {@link dev.parley.core.session.Connection}.
 */
package dev.parley.core.session;
