package dev.parley.core.store;

import dev.parley.protocol.ChatException;
import dev.parley.protocol.model.Message;

/**
 * What {@link ChatStore#appendBatch} did with one pending entry: stored it ({@code message} with
 * its seq), found it stored before under the same clientId ({@code duplicate}), stored nothing
 * because a reaction changed nothing ({@code changed} false: {@code message} is the pending
 * entry with the thread's last seq), or refused it ({@code error}, {@code message} null) because
 * a rule of the thread log forbids it (a missing target, a deleted message, …).
 */
public record AppendResult(Message message, boolean duplicate, boolean changed, ChatException error) {

  public AppendResult(Message message, boolean duplicate) {
    this(message, duplicate, true, null);
  }

  public static AppendResult refused(ChatException error) {
    return new AppendResult(null, false, false, error);
  }

  public static AppendResult unchanged(Message atLastSeq) {
    return new AppendResult(atLastSeq, false, false, null);
  }

  /** True when a new entry was stored: it is to be delivered. */
  public boolean delivers() {
    return error == null && !duplicate && changed;
  }
}
