package dev.parley.core.internal.sessions;

import java.util.concurrent.ConcurrentHashMap;

/**
 * The ids of recently revoked sessions, with when each was revoked, so that checking a token
 * costs a hash lookup and no query. Entries are kept for {@link #retentionMillis()}: after that
 * every token of the session has expired anyway. Thread-safe.
 */
public final class RevocationCache {
  private final ConcurrentHashMap<String, Long> revokedAt = new ConcurrentHashMap<>();
  private final long retentionMillis;

  public RevocationCache(long retentionMillis) {
    if (retentionMillis < 1) {
      throw new IllegalArgumentException("retentionMillis must be positive: " + retentionMillis);
    }
    this.retentionMillis = retentionMillis;
  }

  public long retentionMillis() {
    return retentionMillis;
  }

  /** Records a revocation; true when the session was not known to be revoked before. */
  public boolean add(String sessionId, long revokedAtMillis) {
    return revokedAt.putIfAbsent(sessionId, revokedAtMillis) == null;
  }

  public boolean contains(String sessionId) {
    return revokedAt.containsKey(sessionId);
  }

  /** Forgets revocations made before {@code cutoffMillis}. */
  public void evictOlderThan(long cutoffMillis) {
    revokedAt.values().removeIf(t -> t < cutoffMillis);
  }

  public int size() {
    return revokedAt.size();
  }
}
