package dev.parley.bench.search;

import dev.parley.core.internal.util.Ids;
import dev.parley.core.store.ChatStore;
import dev.parley.core.store.PendingMessage;
import dev.parley.core.store.UserAccount;
import dev.parley.protocol.model.User;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Fills a store for {@link SearchBench}, once: a reader who is a member of half of {@value #THREADS}
 * groups (the other half hold as many messages, which the reader's searches must not return),
 * eight senders in every group, and {@code messages} messages spread over the groups, written by
 * {@code fillThreads} threads (each owning its own groups) through {@link ChatStore#appendBatch} in
 * batches of {@value #BATCH}, so the search index is kept as the group commit keeps it. A user
 * named after the count marks a finished fill, so later runs reuse the file or schema.
 */
final class SearchFill {
  static final int THREADS = 100;
  static final int BATCH = 1_000;
  private static final int SENDERS = 8;

  private final ChatStore store;
  private final Vocabulary vocabulary;
  private final long messages;

  SearchFill(ChatStore store, Vocabulary vocabulary, long messages) {
    this.store = store;
    this.vocabulary = vocabulary;
    this.messages = messages;
  }

  private String doneMarker() {
    return "sb-filled-" + messages;
  }

  /** The reader, after filling the store unless an earlier run did. */
  User readerAfterFill(int fillThreads) throws Exception {
    if (THREADS % fillThreads != 0) {
      throw new IllegalArgumentException("the fill threads must divide " + THREADS);
    }
    Optional<User> reader = store.findAccountByUsername("sb-reader").map(UserAccount::user);
    if (reader.isPresent()) {
      if (store.findAccountByUsername(doneMarker()).isEmpty()) {
        throw new IllegalStateException("the store holds an unfinished or different fill:"
            + " delete the file or drop the schema");
      }
      System.out.printf("reusing the filled store (%,d messages)%n", messages);
      return reader.get();
    }
    long now = System.currentTimeMillis();
    User readerUser = store.createUser("sb-reader", "Reader", "unused-hash", now);
    User other = store.createUser("sb-other", "Other", "unused-hash", now);
    List<String> senders = new ArrayList<>();
    for (int s = 0; s < SENDERS; s++) {
      senders.add(store.createUser("sb-sender" + s, "Sender " + s, "unused-hash", now).id());
    }
    List<String> groups = new ArrayList<>();
    for (int g = 0; g < THREADS; g++) {
      String creator = g % 2 == 0 ? readerUser.id() : other.id();
      groups.add(store.createGroup("search bench " + g, creator, senders, now).id());
    }
    long start = System.nanoTime();
    AtomicLong written = new AtomicLong();
    long firstTs = now - messages; // one message a millisecond, up to now
    ExecutorService pool = Executors.newFixedThreadPool(fillThreads);
    try {
      List<Future<?>> parts = new ArrayList<>();
      for (int f = 0; f < fillThreads; f++) {
        int part = f;
        parts.add(pool.submit(() -> {
          fillPart(part, fillThreads, groups, senders, firstTs, written, start);
          return null;
        }));
      }
      for (Future<?> p : parts) {
        p.get();
      }
    } finally {
      pool.shutdown();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf("filled %,d messages in %.1f s (%,.0f messages/s, %d threads, batches of %d)%n",
        messages, seconds, messages / seconds, fillThreads, BATCH);
    store.createUser(doneMarker(), "Fill done", "unused-hash", System.currentTimeMillis());
    return readerUser;
  }

  /** Messages i with i % parts == part: the groups i % THREADS of this part only. */
  private void fillPart(int part, int parts, List<String> groups, List<String> senders, long firstTs,
                        AtomicLong written, long start) {
    SplittableRandom random = new SplittableRandom(1000 + part);
    List<PendingMessage> batch = new ArrayList<>(BATCH);
    for (long i = part; i < messages; i += parts) {
      String group = groups.get((int) (i % THREADS)); // parts divides THREADS: group % parts == part
      batch.add(new PendingMessage(Ids.newTimeOrderedId(), group, senders.get(random.nextInt(senders.size())),
          vocabulary.body(random, 4, 20), firstTs + i, null, List.of()));
      if (batch.size() == BATCH) {
        flush(batch, written, start);
      }
    }
    if (!batch.isEmpty()) {
      flush(batch, written, start);
    }
  }

  private void flush(List<PendingMessage> batch, AtomicLong written, long start) {
    store.appendBatch(batch);
    long total = written.addAndGet(batch.size());
    batch.clear();
    if (total % 100_000 < BATCH) {
      System.out.printf("  %,d messages after %.0f s%n", total, (System.nanoTime() - start) / 1e9);
    }
  }
}
