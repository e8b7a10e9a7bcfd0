package dev.parley.core.messaging;

import dev.parley.core.store.AppendResult;
import dev.parley.protocol.ChatException;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Hears whether a sent message was stored: the send path's one callback type, from the commit
 * writer up to the transport. Runs on the commit thread right after the commit, before the
 * message is delivered live: keep it short and never block.
 */
public interface SendCallback {
  void stored(AppendResult result);

  void failed(ChatException error);

  /** A callback that completes {@code done} with {@code map} of the result, or with the error. */
  static <T> SendCallback completing(CompletableFuture<T> done, Function<AppendResult, T> map) {
    return new SendCallback() {
      @Override
      public void stored(AppendResult result) {
        done.complete(map.apply(result));
      }

      @Override
      public void failed(ChatException error) {
        done.completeExceptionally(error);
      }
    };
  }
}
