package dev.parley.protocol.frame;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.model.Attachment;
import dev.parley.protocol.model.Change;
import dev.parley.protocol.model.Message;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The thread log's frames and entries (contract 7.2), decoded and encoded exactly. */
class FrameCodecLogTest {
  private static final ObjectMapper PLAIN = new ObjectMapper();
  private final FrameCodec codec = new FrameCodec();

  private JsonNode encode(ServerFrame frame) throws Exception {
    return PLAIN.readTree(codec.encode(frame));
  }

  private static List<String> names(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  @Test
  void decodesSendWithReplyTo() {
    SendFrame f = (SendFrame) codec.decode("{\"type\":\"send\",\"thread\":\"t\",\"body\":\"b\",\"replyTo\":4}");
    assertThat(f.replyTo()).isEqualTo(4L);
    SendFrame plain = (SendFrame) codec.decode("{\"type\":\"send\",\"thread\":\"t\",\"body\":\"b\"}");
    assertThat(plain.replyTo()).isNull();
  }

  @Test
  void refusesAReplyToThatIsNotAnInteger() {
    assertThatThrownBy(() -> codec.decode("{\"type\":\"send\",\"thread\":\"t\",\"body\":\"b\",\"replyTo\":\"4\"}"))
        .isInstanceOf(ProtocolException.class).hasMessageContaining("replyTo");
  }

  @Test
  void decodesEditDeleteAndReact() {
    assertThat(codec.decode("{\"type\":\"edit\",\"id\":\"1\",\"thread\":\"t\",\"target\":3,\"body\":\"x\",\"clientId\":\"c\"}"))
        .isEqualTo(new EditFrame("1", "t", 3, "x", "c"));
    assertThat(codec.decode("{\"type\":\"delete\",\"thread\":\"t\",\"target\":3}"))
        .isEqualTo(new DeleteFrame(null, "t", 3, null));
    assertThat(codec.decode("{\"type\":\"react\",\"thread\":\"t\",\"target\":3,\"emoji\":\"👍\",\"on\":true}"))
        .isEqualTo(new ReactFrame(null, "t", 3, "👍", true, null));
    assertThat(codec.decode("{\"type\":\"react\",\"thread\":\"t\",\"target\":3,\"emoji\":\"👍\",\"on\":false}"))
        .isEqualTo(new ReactFrame(null, "t", 3, "👍", false, null));
  }

  @Test
  void refusesMissingOrMistypedChangeFields() {
    assertThatThrownBy(() -> codec.decode("{\"type\":\"edit\",\"thread\":\"t\",\"body\":\"x\"}"))
        .isInstanceOf(ProtocolException.class).hasMessageContaining("target");
    assertThatThrownBy(() -> codec.decode("{\"type\":\"delete\",\"thread\":\"t\",\"target\":\"3\"}"))
        .isInstanceOf(ProtocolException.class).hasMessageContaining("target");
    assertThatThrownBy(() -> codec.decode("{\"type\":\"react\",\"thread\":\"t\",\"target\":3,\"emoji\":\"x\",\"on\":1}"))
        .isInstanceOf(ProtocolException.class).hasMessageContaining("'on' must be a boolean");
    assertThatThrownBy(() -> codec.decode("{\"type\":\"react\",\"thread\":\"t\",\"target\":3,\"emoji\":\"x\"}"))
        .isInstanceOf(ProtocolException.class).hasMessageContaining("on");
    assertThatThrownBy(() -> codec.decode("{\"type\":\"send\",\"thread\":true,\"body\":\"x\"}"))
        .isInstanceOf(ProtocolException.class).hasMessageContaining("got a boolean");
  }

  @Test
  void encodesEntriesExactly() throws Exception {
    JsonNode edited = encode(new MessageFrame(new Message("e", "t", 5, "u1", "new", 9, null, List.of(),
        null, null, false, Map.of(), Change.edited(2))));
    assertThat(names(edited)).containsExactly("type", "thread", "seq", "target", "user", "body", "ts");
    assertThat(edited.get("type").asText()).isEqualTo("edited");
    assertThat(edited.get("target").asLong()).isEqualTo(2);

    JsonNode erasedEdit = encode(new MessageFrame(new Message("e", "t", 5, "u1", "", 9, null, List.of(),
        null, null, true, Map.of(), Change.edited(2))));
    assertThat(names(erasedEdit)).containsExactly("type", "thread", "seq", "target", "user", "ts");

    JsonNode deleted = encode(new MessageFrame(new Message("d", "t", 6, "u1", "", 9, null, List.of(),
        null, null, false, Map.of(), Change.deleted(2))));
    assertThat(names(deleted)).containsExactly("type", "thread", "seq", "target", "user", "ts");
    assertThat(deleted.get("type").asText()).isEqualTo("deleted");

    JsonNode reaction = encode(new MessageFrame(new Message("r", "t", 7, "u2", "", 9, null, List.of(),
        null, null, false, Map.of(), Change.reaction(2, "👍", false))));
    assertThat(names(reaction)).containsExactly("type", "thread", "seq", "target", "user", "emoji", "on", "ts");
    assertThat(reaction.get("emoji").asText()).isEqualTo("👍");
    assertThat(reaction.get("on").isBoolean()).isTrue();
    assertThat(reaction.get("on").asBoolean()).isFalse();
  }

  @Test
  void encodesAMessageInItsCurrentState() throws Exception {
    Map<String, List<String>> reactions = new LinkedHashMap<>();
    reactions.put("👍", List.of("u1", "u2"));
    JsonNode m = encode(new MessageFrame(new Message("m", "t", 3, "u1", "fixed", 9, "c",
        List.of(new Attachment("a", "image/png", 1, "x.png")), 1L, 11L, false, reactions, null)));
    assertThat(names(m)).containsExactly("type", "id", "thread", "seq", "sender", "body", "ts", "clientId",
        "attachments", "replyTo", "editedAt", "reactions");
    assertThat(m.get("reactions").get("👍").get(1).asText()).isEqualTo("u2");

    JsonNode gone = encode(new MessageFrame(new Message("m", "t", 3, "u1", "", 9, "c", List.of(),
        null, 11L, true, Map.of(), null)));
    assertThat(names(gone)).containsExactly("type", "id", "thread", "seq", "sender", "ts", "deleted");
    assertThat(gone.get("deleted").asBoolean()).isTrue();
  }

  @Test
  void encodesChangeAcks() throws Exception {
    JsonNode changed = encode(new ChangeAckFrame("1", "t", 8, 9, true));
    assertThat(names(changed)).containsExactly("type", "id", "thread", "seq", "ts");
    JsonNode same = encode(new ChangeAckFrame(null, "t", 8, 9, false));
    assertThat(names(same)).containsExactly("type", "thread", "seq", "ts", "changed");
    assertThat(same.get("changed").asBoolean()).isFalse();
  }
}
