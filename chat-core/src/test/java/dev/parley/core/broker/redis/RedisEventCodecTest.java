package dev.parley.core.broker.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.core.broker.BrokerEvent;
import dev.parley.protocol.model.ChatThread;
import dev.parley.protocol.model.Message;
import dev.parley.protocol.model.User;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The JSON between nodes (the broker test carries every event type through a real Redis). */
class RedisEventCodecTest {

  @Test
  void carriesOriginAndNodeWithTheEvent() {
    BrokerEvent event = new BrokerEvent.MessageStored(
        new Message("m1", "t1", 1, "u1", "hi", 5L, "c1", List.of()));
    String json = new String(EventCodec.encode("node-a/123", "node-a", event), StandardCharsets.UTF_8);

    assertThat(json).startsWith("{\"o\":\"node-a/123\",\"n\":\"node-a\",\"t\":\"message\",\"m\":{");
    EventCodec.Envelope envelope = EventCodec.decode(json);
    assertThat(envelope.origin()).isEqualTo("node-a/123");
    assertThat(envelope.node()).isEqualTo("node-a");
    assertThat(envelope.event()).isEqualTo(event);
  }

  @Test
  void carriesBlocksAndThreadUpdatesWithAdminsAndMutes() {
    ChatThread snapshot = new ChatThread("t1", ChatThread.GROUP, "<b>g</b>", "u1",
        List.of(new User("u1", "ann", "Ann"), new User("u2", "ben", "Ben")), 5L, 7L,
        List.of("u2"), false);
    for (BrokerEvent event : List.of(
        new BrokerEvent.BlockChanged("u1", "u2", true),
        new BrokerEvent.BlockChanged("u2", "u1", false),
        new BrokerEvent.ThreadUpdated("t1", snapshot, List.of("u2"), null),
        new BrokerEvent.ThreadUpdated("t1", snapshot, List.of(), "u1"),
        new BrokerEvent.MemberAdded("t1", "u2", snapshot.withMuted(true)))) {
      assertThat(EventCodec.decode(new String(EventCodec.encode("o", "n", event),
          StandardCharsets.UTF_8)).event()).isEqualTo(event);
    }
  }

  @Test
  void rejectsAnUnknownType() {
    assertThatThrownBy(() -> EventCodec.decode("{\"o\":\"x\",\"n\":\"x\",\"t\":\"nope\"}"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nope");
  }

  @Test
  void rejectsAMistypedField() {
    assertThatThrownBy(() -> EventCodec.decode(
        "{\"o\":\"x\",\"n\":\"x\",\"t\":\"read\",\"thread\":\"t\",\"user\":\"u\",\"seq\":\"3\"}"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("seq");
  }

  @Test
  void rejectsSomethingThatIsNotJson() {
    assertThatThrownBy(() -> EventCodec.decode("hello"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
