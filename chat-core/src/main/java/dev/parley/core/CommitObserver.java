package dev.parley.core;

/**
 * Told about every group-commit batch, for metrics: how many messages it held and how long the
 * store took. Called on the commit thread, so it must be quick and must not block. Give one to
 * {@link ChatEngine.Builder#commitObserver}.
 */
public interface CommitObserver {
  /** Observes nothing. */
  CommitObserver NONE = new CommitObserver() { };

  /** A batch of {@code size} messages was committed in {@code nanos}. */
  default void batchCommitted(int size, long nanos) {
  }

  /** A batch of {@code size} messages could not be stored; its senders were told. */
  default void batchFailed(int size, Throwable error) {
  }
}
