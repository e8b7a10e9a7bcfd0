package dev.parley.core.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.core.testing.RecordingConnection;
import dev.parley.protocol.frame.FrameCodec;
import dev.parley.protocol.model.User;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The per-thread guard of a session that keeps a replay and live delivery from repeating or
 * reordering a seq, driven directly: one thread commits and delivers like the commit thread,
 * another replays like a sync.
 */
class SessionSyncGuardTest {
  private static final FrameHandler NO_FRAMES = new FrameHandler() {
    private final FrameCodec codec = new FrameCodec();

    @Override
    public void onFrame(Session session, byte[] utf8) {
    }

    @Override
    public void onClosed(Session session) {
    }

    @Override
    public FrameCodec codec() {
      return codec;
    }
  };

  private static byte[] message(long seq) {
    return ("{\"type\":\"message\",\"thread\":\"t\",\"seq\":" + seq + "}").getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aReplayBesideLiveDeliveryNeverRepeatsOrReordersASeq() throws Exception {
    for (int round = 0; round < 200; round++) {
      RecordingConnection connection = new RecordingConnection("round " + round);
      Session session = new Session("s-", round, new User("u", "u", "u"), Long.MAX_VALUE, null,
          connection, NO_FRAMES);
      AtomicLong committed = new AtomicLong();
      int total = 400;
      Thread commitThread = new Thread(() -> {
        for (long seq = 1; seq <= total; seq++) {
          committed.set(seq); // stored: a replay from now on reads it
          session.deliverMessage("t", seq, message(seq));
        }
      });
      commitThread.start();
      while (committed.get() < 50) {
        Thread.onSpinWait();
      }
      session.beginSync(List.of("t"));
      long upTo = committed.get();
      for (long seq = 1; seq <= upTo; seq++) {
        session.sendEncoded(message(seq));
      }
      session.endSync("t", upTo);
      commitThread.join();

      List<Long> seqs = connection.seqs("t");
      int replayStart = seqs.lastIndexOf(1L);
      List<Long> fromReplay = seqs.subList(replayStart, seqs.size());
      assertThat(fromReplay).as("round %d from the replay on", round).isSorted().doesNotHaveDuplicates()
          .hasSize(total).endsWith((long) total);
    }
  }

  @Test
  void overlappingSyncsOfAThreadHoldLiveMessagesUntilTheLastEnds() {
    RecordingConnection connection = new RecordingConnection("overlap");
    Session session = new Session("s-", 1, new User("u", "u", "u"), Long.MAX_VALUE, null, connection,
        NO_FRAMES);
    session.beginSync(List.of("t")); // first sync: replays 1..4
    session.beginSync(List.of("t")); // the client asks again before it ends: replays 1..4 too
    for (long seq = 1; seq <= 4; seq++) {
      session.sendEncoded(message(seq));
    }
    session.deliverMessage("t", 5, message(5));
    session.endSync("t", 4); // the first replay is done; the second still runs
    session.deliverMessage("t", 6, message(6));
    for (long seq = 1; seq <= 4; seq++) {
      session.sendEncoded(message(seq));
    }
    assertThat(connection.seqs("t")).containsExactly(1L, 2L, 3L, 4L, 1L, 2L, 3L, 4L);
    session.endSync("t", 4);
    session.deliverMessage("t", 6, message(6)); // a late live copy is dropped
    session.deliverMessage("t", 7, message(7));
    assertThat(connection.seqs("t")).containsExactly(1L, 2L, 3L, 4L, 1L, 2L, 3L, 4L, 5L, 6L, 7L);
  }
}
