/**
 * Internal, may change without notice: the Netty pipeline, its handler names and limits.
 */
package dev.parley.server.internal.pipeline;
