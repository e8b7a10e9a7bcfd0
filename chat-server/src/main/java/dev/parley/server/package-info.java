/**
 * Public API: the server ({@link dev.parley.server.ChatServer}), its configuration ({@link
 * dev.parley.server.ServerConfig}) and the command line ({@link dev.parley.server.Main}).
 */
package dev.parley.server;
