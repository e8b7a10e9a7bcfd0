/**
 * Internal, may change without notice: the REST routes.
 */
package dev.parley.server.internal.rest;
