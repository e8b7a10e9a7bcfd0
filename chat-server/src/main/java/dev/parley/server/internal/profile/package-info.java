/** Profile pictures: uploads decoded and encoded again before any browser sees them. */
package dev.parley.server.internal.profile;
