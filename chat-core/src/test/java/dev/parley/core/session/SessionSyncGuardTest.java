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
      Session session = new Session("s" + round, new User("u", "u", "u"), Long.MAX_VALUE,
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
}
