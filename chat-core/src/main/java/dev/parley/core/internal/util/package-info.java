/**
 * Internal, may change without notice: ids and thread factories.
 */
package dev.parley.core.internal.util;
