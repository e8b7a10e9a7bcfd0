/**
 * Public API: the chat engine ({@link dev.parley.core.ChatEngine}), its configuration, and the
 * host's extension points ({@link dev.parley.core.ChatListener}, {@link
 * dev.parley.core.MessageInterceptor}). No Netty.
 *
 * <h2>Names</h2>
 *
 * <p>The wire protocol, the REST API and the store call a conversation a <em>thread</em>
 * ({@code "thread"} in frames, {@code /api/threads}, the {@code threads} table, the protocol's
 * {@code ChatThread}), and that stays. Inside the engine a conversation is a
 * <em>conversation</em>: {@link dev.parley.core.conversations.ConversationService}, {@code
 * conversationId}, the registry's {@code LocalConversation}, the {@code ConversationSequencer}.
 * "Thread" in the engine's code and Javadoc means a Java thread, and the table below lists
 * every one of them.
 *
 * <h2>Threads and their jobs</h2>
 *
 * <p>Every thread Parley starts is named {@code parley-*}. A callback's Javadoc says which of
 * these runs it; this table is the one list.
 *
 * <table>
 * <caption>Parley's threads</caption>
 * <tr><th>Thread</th><th>Started by</th><th>Runs</th><th>Must never run</th></tr>
 * <tr><td>{@code parley-accept}</td><td>{@code ChatServer.start}</td>
 *     <td>accepting TCP connections</td><td>anything else</td></tr>
 * <tr><td>{@code parley-io-N}</td><td>{@code ChatServer.start} (Netty event loops)</td>
 *     <td>decoding frames, the session's frame dispatch, limit checks with a non-blocking
 *     limiter, enqueueing a send to the commit queue, writes and flushes to its connections,
 *     registry changes and the conversation callbacks they trigger (a Redis subscribe is only queued)</td>
 *     <td>JDBC, a Redis round trip, bcrypt, a lock held by another thread for long: anything
 *     that blocks (hand it to {@code parley-worker})</td></tr>
 * <tr><td>{@code parley-commit}</td><td>{@code GroupCommitWriter} (the engine)</td>
 *     <td>draining the send queue, a blocking shared rate-limit check per batch, one store
 *     transaction per batch, then per message in seq order: the sender's ack, the broker
 *     publish, and (in-memory broker) the local fan-out</td>
 *     <td>host code that may block; waiting for another Parley thread</td></tr>
 * <tr><td>{@code parley-worker-N}</td><td>the engine ({@code workerThreads})</td>
 *     <td>blocking work off the event loops: login, history and other store reads, session
 *     pruning, revocation polling, the sequencer's gap fills and state loads</td>
 *     <td>writes that must keep an order (it is a pool); waiting on the commit thread</td></tr>
 * <tr><td>{@code parley-timer-1}</td><td>the engine</td>
 *     <td>timers only: presence grace, the sequencer's gap timeouts, the periodic jobs, each
 *     of which hands real work to {@code parley-worker}</td><td>anything that blocks</td></tr>
 * <tr><td>{@code parley-events-1}</td><td>the engine</td>
 *     <td>the host's {@link dev.parley.core.ChatListener} callbacks, one at a time in order</td>
 *     <td>Parley's own delivery (a slow host listener must not delay chat)</td></tr>
 * <tr><td>{@code parley-redis-sub-<node>}</td><td>{@code RedisBroker}</td>
 *     <td>the Redis subscription: (un)subscribe commands, and events from other nodes handed
 *     to the {@link dev.parley.core.broker.BrokerListener} (the sequencer, then fan-out)</td>
 *     <td>a blocking call other than its own Redis connection</td></tr>
 * <tr><td>{@code parley-redis-pub-<node>}</td><td>{@code RedisBroker}</td>
 *     <td>sending the publish queue to Redis in order, reconnecting</td>
 *     <td>listener callbacks</td></tr>
 * <tr><td>{@code parley-presence-<node>-1}</td><td>{@code RedisPresence}</td>
 *     <td>presence writes and the TTL refresh in Redis</td><td>callbacks into the engine</td></tr>
 * <tr><td>{@code parley-checkpoint}</td><td>{@code SqliteCheckpointer}</td>
 *     <td>SQLite WAL checkpoints</td><td>anything else</td></tr>
 * </table>
 */
package dev.parley.core;
