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
    byte[] payload = EventCodec.encode("node-a/123", "node-a", event);

    assertThat(new String(payload, StandardCharsets.UTF_8))
        .startsWith("{\"o\":\"node-a/123\",\"n\":\"node-a\",\"t\":\"message\",\"m\":{");
    EventCodec.Envelope envelope = EventCodec.decode(payload);
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
      assertThat(EventCodec.decode(EventCodec.encode("o", "n", event)).event()).isEqualTo(event);
    }
  }

  @Test
  void rejectsAnUnknownType() {
    assertThatThrownBy(() -> decode("{\"o\":\"x\",\"n\":\"x\",\"t\":\"nope\"}"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nope");
  }

  @Test
  void rejectsAMistypedField() {
    assertThatThrownBy(() -> decode(
        "{\"o\":\"x\",\"n\":\"x\",\"t\":\"read\",\"thread\":\"t\",\"user\":\"u\",\"seq\":\"3\"}"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("seq");
  }

  @Test
  void rejectsSomethingThatIsNotJson() {
    assertThatThrownBy(() -> decode("hello"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void recognisesAnOriginByItsFirstBytes() {
    BrokerEvent event = new BrokerEvent.Typing("t1", "u1");
    byte[] mine = EventCodec.originPrefix("node-a/1");

    assertThat(EventCodec.startsWith(EventCodec.encode("node-a/1", "node-a", event), mine)).isTrue();
    assertThat(EventCodec.startsWith(EventCodec.encode("node-a/12", "node-a", event), mine)).isFalse();
    assertThat(EventCodec.startsWith(EventCodec.encode("node-a/", "node-a", event), mine)).isFalse();
    assertThat(EventCodec.startsWith(new byte[] {'{'}, mine)).isFalse();
    // a node id that JSON must escape is compared in its escaped form
    String odd = "n\"\u00e9\u2028/1";
    assertThat(EventCodec.startsWith(EventCodec.encode(odd, "n", event), EventCodec.originPrefix(odd)))
        .isTrue();
    assertThat(EventCodec.decode(EventCodec.encode(odd, "n", event)).origin()).isEqualTo(odd);
  }

  @Test
  void rejectsBytesThatAreNotUtf8Json() {
    assertThatThrownBy(() -> EventCodec.decode(new byte[] {(byte) 0xff, (byte) 0xfe, '{'}))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static EventCodec.Envelope decode(String payload) {
    return EventCodec.decode(payload.getBytes(StandardCharsets.UTF_8));
  }
}
