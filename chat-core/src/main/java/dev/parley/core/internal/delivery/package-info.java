/**
 * Internal, may change without notice: group commit and live fan-out in seq order.
 */
package dev.parley.core.internal.delivery;
