package dev.parley.core.session;

import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.frame.ErrorFrame;
import dev.parley.protocol.frame.ServerFrame;
import dev.parley.protocol.model.User;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One authenticated connection's state inside the engine: who it is, until when its token holds,
 * and the per-thread bookkeeping that keeps a thread's messages in seq order on this connection
 * while a {@code sync} replays history beside live delivery.
 *
 * <p>The transport creates it through {@link SessionFactory}, pushes every text frame into
 * {@link #onFrame(byte[])} and calls {@link #closed()} when the connection is gone.
 */
public final class Session {
  // the id is idPrefix + number, made only when asked for: a String per connection is 48 bytes
  // of heap that an idle connection never needs
  private final String idPrefix;
  private final long number;
  private final User user;
  private final Connection connection;
  private final FrameHandler handler;
  private volatile long expiresAtMillis;
  private volatile String loginSessionId;
  private volatile boolean open = true;

  // guarded by this: live messages held back per thread while syncs of it run
  private Map<String, Hold> syncing;
  // guarded by this: highest seq a sync sent per thread, until a live message passes it
  private Map<String, Long> syncedUpTo;

  /**
   * @param idPrefix shared by the node's sessions (the node id and a dash)
   * @param number unique among the node's sessions
   */
  Session(String idPrefix, long number, User user, long expiresAtMillis, String loginSessionId,
          Connection connection, FrameHandler handler) {
    this.idPrefix = idPrefix;
    this.number = number;
    this.user = user;
    this.expiresAtMillis = expiresAtMillis;
    this.loginSessionId = loginSessionId;
    this.connection = connection;
    this.handler = handler;
  }

  /** A node-unique id of this connection: the node id, a dash and a number. */
  public String id() {
    return idPrefix + number;
  }

  /** Whether {@code id} is this connection's {@link #id()}; allocates nothing. */
  public boolean hasId(String id) {
    if (id == null || !id.startsWith(idPrefix)) {
      return false;
    }
    int end = id.length();
    int start = idPrefix.length();
    if (end == start || end - start > 19 || (id.charAt(start) == '0' && end - start > 1)) {
      return false;
    }
    long n = 0;
    for (int i = start; i < end; i++) {
      char c = id.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
      n = n * 10 + (c - '0');
    }
    return n == number;
  }

  public User user() {
    return user;
  }

  public String userId() {
    return user.id();
  }

  public Connection connection() {
    return connection;
  }

  /** When the connection's current access token expires, epoch ms. */
  public long expiresAtMillis() {
    return expiresAtMillis;
  }

  /**
   * The login session ({@code sid}) of the token the connection currently holds, or null when the
   * host's own authenticator let it in. Its revocation closes the connection with 4401.
   */
  public String loginSessionId() {
    return loginSessionId;
  }

  void refreshed(long expiresAtMillis, String loginSessionId) {
    this.expiresAtMillis = expiresAtMillis;
    this.loginSessionId = loginSessionId;
  }

  public boolean isOpen() {
    return open;
  }

  /** The transport received a text frame (UTF-8 JSON). Never throws. */
  public void onFrame(byte[] utf8) {
    handler.onFrame(this, utf8);
  }

  /** The transport's connection is gone. Idempotent. */
  public void closed() {
    if (open) {
      open = false;
      handler.onClosed(this);
    }
  }

  /** Sends a frame that only this connection gets. */
  public void send(ServerFrame frame) {
    connection.send(handler.codec().encode(frame));
  }

  public void sendError(String frameId, ErrorCode code, String message) {
    send(new ErrorFrame(frameId, code, message));
  }

  /** Sends an already encoded frame. */
  public void sendEncoded(byte[] encoded) {
    connection.send(encoded);
  }

  /**
   * Delivers a live message of a thread. Held back while a sync of that thread runs, and dropped
   * when a sync already sent it. Always under the session's (uncontended) lock: a lock-free
   * path that checked for a sync and sent afterwards could land its message in the middle of a
   * replay that began in between, repeating and reordering seqs.
   */
  public void deliverMessage(String conversationId, long seq, byte[] encoded) {
    synchronized (this) {
      if (syncing != null) {
        Hold hold = syncing.get(conversationId);
        if (hold != null) {
          hold.held.add(new PendingDelivery(seq, encoded));
          return;
        }
      }
      if (syncedUpTo != null) {
        Long upTo = syncedUpTo.get(conversationId);
        if (upTo != null) {
          if (seq <= upTo) {
            return;
          }
          // live delivery has passed the replay: no older copy can follow
          syncedUpTo.remove(conversationId);
          if (syncedUpTo.isEmpty()) {
            syncedUpTo = null;
          }
        }
      }
      connection.send(encoded);
    }
  }

  /**
   * Starts holding back live messages of these threads while their history is replayed. Syncs
   * of the same thread may overlap (a client that asks twice): the hold lasts until the last of
   * them ends, so no live message lands in the middle of a replay.
   */
  synchronized void beginSync(Iterable<String> conversationIds) {
    if (syncing == null) {
      syncing = new HashMap<>();
    }
    for (String t : conversationIds) {
      syncing.computeIfAbsent(t, k -> new Hold()).syncs++;
    }
  }

  /**
   * A replay of a thread sent everything up to {@code lastSentSeq}. When it was the last sync of
   * the thread still running, releases the live messages held meanwhile that are above what the
   * replays sent, and remembers the mark so a late live copy is dropped.
   */
  synchronized void endSync(String conversationId, long lastSentSeq) {
    if (syncing == null) {
      return;
    }
    Hold hold = syncing.get(conversationId);
    if (hold == null) {
      return;
    }
    hold.sentUpTo = Math.max(hold.sentUpTo, lastSentSeq);
    if (--hold.syncs > 0) {
      return;
    }
    syncing.remove(conversationId);
    if (syncing.isEmpty()) {
      syncing = null;
    }
    long upTo = hold.sentUpTo;
    for (PendingDelivery d : hold.held) {
      if (d.seq > upTo) {
        connection.send(d.encoded);
        upTo = d.seq;
      }
    }
    if (syncedUpTo == null) {
      syncedUpTo = new HashMap<>();
    }
    syncedUpTo.merge(conversationId, upTo, Math::max);
  }

  @Override
  public String toString() {
    return "Session[" + id() + " user=" + user.id() + " " + connection.describe() + "]";
  }

  private record PendingDelivery(long seq, byte[] encoded) {
  }

  /** The live messages of a thread held back while {@code syncs} replays of it run. */
  private static final class Hold {
    final List<PendingDelivery> held = new ArrayList<>();
    int syncs;
    long sentUpTo;
  }
}
