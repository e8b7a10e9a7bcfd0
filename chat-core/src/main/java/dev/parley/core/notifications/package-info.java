/**
 * Notifications for people who are not connected (contract 7.5): Web Push to the browsers of
 * members with no open connection, and webhooks that give every log entry to other backends.
 * Both run on their own threads ({@code parley-push-*}, {@code parley-webhook-*}), never on an
 * event loop or the commit thread.
 */
package dev.parley.core.notifications;
