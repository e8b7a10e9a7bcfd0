/**
 * Public API: users (the host's create, disable, delete; the built-in register, login, refresh).
 */
package dev.parley.core.accounts;
