/**
 * Internal, may change without notice: the training run of the AppCDS archive the build makes
 * next to the runnable jar.
 */
package dev.parley.server.internal.cds;
