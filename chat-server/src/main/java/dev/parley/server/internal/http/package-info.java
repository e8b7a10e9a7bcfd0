/**
 * Internal, may change without notice: HTTP routing, answers and static files.
 */
package dev.parley.server.internal.http;
