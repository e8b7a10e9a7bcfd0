/**
 * Internal, may change without notice: which local sessions belong to which users and threads.
 */
package dev.parley.core.internal.registry;
