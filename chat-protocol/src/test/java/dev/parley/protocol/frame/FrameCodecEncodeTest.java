package dev.parley.protocol.frame;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.protocol.ChatException;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.Json;
import dev.parley.protocol.model.Attachment;
import dev.parley.protocol.model.ChatThread;
import dev.parley.protocol.model.Message;
import dev.parley.protocol.model.ThreadSummary;
import dev.parley.protocol.model.User;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FrameCodecEncodeTest {
  private static final ObjectMapper PLAIN = new ObjectMapper();
  private static final User ALICE = new User("u1", "alice", "Alice A.");
  private static final User BOB = new User("u2", "bob", "Bob");
  private static final Attachment PIC = new Attachment("a1", "image/png", 1234, "cat.png");

  private final FrameCodec codec = new FrameCodec();

  private JsonNode encode(ServerFrame frame) throws Exception {
    byte[] bytes = codec.encode(frame);
    ByteArrayOutputStream stream = new ByteArrayOutputStream();
    codec.encode(frame, stream);
    assertThat(stream.toByteArray()).as("stream and array encodings agree").isEqualTo(bytes);
    JsonNode node = PLAIN.readTree(bytes);
    assertThat(node.isObject()).isTrue();
    assertThat(node.get("type").asText()).isEqualTo(frame.type());
    return node;
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static Message message(String clientId, List<Attachment> attachments) {
    return new Message("m1", "t1", 7, "u1", "hello", 1_700_000_000_123L, clientId, attachments);
  }

  @Test
  void encodesHello() throws Exception {
    JsonNode n = encode(new HelloFrame(ALICE, "node-a", 25, 1_700_000_900_000L));
    assertThat(fieldNames(n)).containsExactly("type", "user", "node", "heartbeat", "expiresAt");
    assertThat(n.get("user").get("id").asText()).isEqualTo("u1");
    assertThat(n.get("user").get("username").asText()).isEqualTo("alice");
    assertThat(n.get("user").get("displayName").asText()).isEqualTo("Alice A.");
    assertThat(n.get("node").asText()).isEqualTo("node-a");
    assertThat(n.get("heartbeat").isInt()).isTrue();
    assertThat(n.get("heartbeat").asInt()).isEqualTo(25);
    assertThat(n.get("expiresAt").asLong()).isEqualTo(1_700_000_900_000L);
  }

  @Test
  void encodesMessageWithClientIdAndAttachments() throws Exception {
    JsonNode n = encode(new MessageFrame(message("c1", List.of(PIC))));
    assertThat(fieldNames(n)).containsExactly("type", "id", "thread", "seq", "sender", "body", "ts",
        "clientId", "attachments");
    assertThat(n.get("id").asText()).isEqualTo("m1");
    assertThat(n.get("thread").asText()).isEqualTo("t1");
    assertThat(n.get("seq").isIntegralNumber()).isTrue();
    assertThat(n.get("seq").asLong()).isEqualTo(7);
    assertThat(n.get("sender").asText()).isEqualTo("u1");
    assertThat(n.get("body").asText()).isEqualTo("hello");
    assertThat(n.get("ts").asLong()).isEqualTo(1_700_000_000_123L);
    assertThat(n.get("clientId").asText()).isEqualTo("c1");
    JsonNode a = n.get("attachments").get(0);
    assertThat(fieldNames(a)).containsExactly("id", "contentType", "size", "filename");
    assertThat(a.get("id").asText()).isEqualTo("a1");
    assertThat(a.get("contentType").asText()).isEqualTo("image/png");
    assertThat(a.get("size").asLong()).isEqualTo(1234);
    assertThat(a.get("filename").asText()).isEqualTo("cat.png");
  }

  @Test
  void omitsNullClientIdButAlwaysWritesAttachments() throws Exception {
    JsonNode n = encode(new MessageFrame(message(null, null)));
    assertThat(n.has("clientId")).isFalse();
    assertThat(n.get("attachments").isArray()).isTrue();
    assertThat(n.get("attachments")).isEmpty();
  }

  @Test
  void encodesMessageAckWithAndWithoutId() throws Exception {
    JsonNode n = encode(new MessageAckFrame("f1", "t1", 7, "m1", 99L));
    assertThat(fieldNames(n)).containsExactly("type", "id", "thread", "seq", "messageId", "ts");
    assertThat(n.get("type").asText()).isEqualTo("ack");
    assertThat(n.get("id").asText()).isEqualTo("f1");
    assertThat(n.get("seq").asLong()).isEqualTo(7);
    assertThat(n.get("messageId").asText()).isEqualTo("m1");
    assertThat(n.get("ts").asLong()).isEqualTo(99L);
    assertThat(encode(new MessageAckFrame(null, "t1", 7, "m1", 99L)).has("id")).isFalse();
  }

  @Test
  void encodesReadAck() throws Exception {
    JsonNode n = encode(new ReadAckFrame("r1", "t1", 12));
    assertThat(fieldNames(n)).containsExactly("type", "id", "thread", "seq");
    assertThat(n.get("seq").asLong()).isEqualTo(12);
    assertThat(encode(new ReadAckFrame(null, "t1", 12)).has("id")).isFalse();
  }

  @Test
  void encodesAuthAck() throws Exception {
    JsonNode n = encode(new AuthAckFrame("x", 1_800_000_000_000L));
    assertThat(fieldNames(n)).containsExactly("type", "id", "expiresAt");
    assertThat(n.get("type").asText()).isEqualTo("ack");
    assertThat(n.get("expiresAt").asLong()).isEqualTo(1_800_000_000_000L);
    assertThat(fieldNames(encode(new AuthAckFrame(null, 5)))).containsExactly("type", "expiresAt");
  }

  @Test
  void encodesTypingEvent() throws Exception {
    JsonNode n = encode(new TypingEvent("t1", "u2"));
    assertThat(fieldNames(n)).containsExactly("type", "thread", "user");
    assertThat(n.get("thread").asText()).isEqualTo("t1");
    assertThat(n.get("user").asText()).isEqualTo("u2");
  }

  @Test
  void encodesReadEvent() throws Exception {
    JsonNode n = encode(new ReadEvent("t1", "u2", 3));
    assertThat(fieldNames(n)).containsExactly("type", "thread", "user", "seq");
    assertThat(n.get("seq").asLong()).isEqualTo(3);
  }

  @Test
  void encodesSynced() throws Exception {
    assertThat(encode(new SyncedFrame("s")).get("id").asText()).isEqualTo("s");
    assertThat(fieldNames(encode(new SyncedFrame(null)))).containsExactly("type");
  }

  @Test
  void encodesPresenceAnswerInGivenOrder() throws Exception {
    Map<String, String> users = new LinkedHashMap<>();
    users.put("u9", "online");
    users.put("u1", "offline");
    JsonNode n = encode(new PresenceAnswer("p", users));
    assertThat(fieldNames(n)).containsExactly("type", "id", "users");
    assertThat(fieldNames(n.get("users"))).containsExactly("u9", "u1");
    assertThat(n.get("users").get("u9").asText()).isEqualTo("online");
    assertThat(n.get("users").get("u1").asText()).isEqualTo("offline");
    assertThat(encode(new PresenceAnswer(null, Map.of())).has("id")).isFalse();
  }

  @Test
  void encodesPresenceEvent() throws Exception {
    JsonNode n = encode(new PresenceEvent("u2", PresenceEvent.ONLINE));
    assertThat(fieldNames(n)).containsExactly("type", "user", "status");
    assertThat(n.get("status").asText()).isEqualTo("online");
  }

  @Test
  void encodesPong() throws Exception {
    assertThat(encode(new PongFrame("p1")).get("id").asText()).isEqualTo("p1");
    assertThat(fieldNames(encode(new PongFrame(null)))).containsExactly("type");
  }

  @Test
  void encodesErrorWithWireCode() throws Exception {
    JsonNode n = encode(new ErrorFrame("e1", ErrorCode.BAD_REQUEST, "missing required field 'thread'"));
    assertThat(fieldNames(n)).containsExactly("type", "id", "code", "message");
    assertThat(n.get("code").asText()).isEqualTo("bad_request");
    assertThat(n.get("message").asText()).isEqualTo("missing required field 'thread'");
    JsonNode noId = encode(ErrorFrame.of(null, ChatException.forbidden("not a member")));
    assertThat(fieldNames(noId)).containsExactly("type", "code", "message");
    assertThat(noId.get("code").asText()).isEqualTo("forbidden");
  }

  @Test
  void encodesThreadEventWithAndWithoutTitle() throws Exception {
    ChatThread group = new ChatThread("t1", ChatThread.GROUP, "Team", "u1", List.of(ALICE, BOB), 10L, 4L);
    JsonNode n = encode(new ThreadEvent(group));
    assertThat(fieldNames(n)).containsExactly("type", "thread");
    JsonNode t = n.get("thread");
    // admins (contract 7.4) on every group; no muted unless the viewer muted it
    assertThat(fieldNames(t)).containsExactly("id", "kind", "title", "creator", "members", "createdAt", "lastSeq",
        "admins");
    assertThat(t.get("admins")).isEmpty();
    assertThat(t.get("kind").asText()).isEqualTo("group");
    assertThat(t.get("title").asText()).isEqualTo("Team");
    assertThat(t.get("creator").asText()).isEqualTo("u1");
    assertThat(t.get("members")).hasSize(2);
    assertThat(t.get("members").get(1).get("username").asText()).isEqualTo("bob");
    assertThat(t.get("createdAt").asLong()).isEqualTo(10L);
    assertThat(t.get("lastSeq").asLong()).isEqualTo(4L);

    ChatThread direct = new ChatThread("t2", ChatThread.DIRECT, null, "u1", List.of(ALICE, BOB), 10L, 0L);
    assertThat(fieldNames(encode(new ThreadEvent(direct)).get("thread")))
        .containsExactly("id", "kind", "creator", "members", "createdAt", "lastSeq");

    JsonNode muted = encode(new ThreadEvent(group.withAdmins(List.of("u2")).withMuted(true))).get("thread");
    assertThat(muted.get("admins").get(0).asText()).isEqualTo("u2");
    assertThat(muted.get("muted").asBoolean()).isTrue();
  }

  @Test
  void encodesRemovedEvent() throws Exception {
    JsonNode n = encode(new RemovedEvent("t1"));
    assertThat(fieldNames(n)).containsExactly("type", "thread");
    assertThat(n.get("thread").asText()).isEqualTo("t1");
  }

  @Test
  void writesThreadSummaryWithLastMessageAndUnread() throws Exception {
    ChatThread group = new ChatThread("t1", ChatThread.GROUP, "Team", "u1", List.of(ALICE), 10L, 7L);
    JsonNode n = PLAIN.readTree(Json.write(g -> FrameCodec.writeThreadSummary(g,
        new ThreadSummary(group, message("c1", List.of()), 3))));
    assertThat(fieldNames(n)).containsExactly("id", "kind", "title", "creator", "members", "createdAt",
        "lastSeq", "admins", "lastMessage", "unread");
    assertThat(n.get("lastMessage").has("type")).isFalse();
    assertThat(n.get("lastMessage").get("id").asText()).isEqualTo("m1");
    assertThat(n.get("unread").asLong()).isEqualTo(3);
  }

  @Test
  void writesNullLastMessageOnAnEmptyThread() throws Exception {
    ChatThread direct = new ChatThread("t2", ChatThread.DIRECT, null, "u1", List.of(ALICE, BOB), 10L, 0L);
    JsonNode n = PLAIN.readTree(Json.write(g -> FrameCodec.writeThreadSummary(g,
        new ThreadSummary(direct, null, 0))));
    assertThat(n.has("lastMessage")).isTrue();
    assertThat(n.get("lastMessage").isNull()).isTrue();
    assertThat(n.get("unread").asLong()).isZero();
  }

  @Test
  void writesStandaloneShapesForTheRestLayer() throws Exception {
    JsonNode user = PLAIN.readTree(Json.write(g -> FrameCodec.writeUser(g, ALICE)));
    assertThat(fieldNames(user)).containsExactly("id", "username", "displayName");
    JsonNode msg = PLAIN.readTree(Json.write(g -> FrameCodec.writeMessage(g, message(null, List.of(PIC)))));
    assertThat(fieldNames(msg)).containsExactly("id", "thread", "seq", "sender", "body", "ts", "attachments");
    JsonNode att = PLAIN.readTree(Json.write(g -> FrameCodec.writeAttachment(g,
        new Attachment("a2", "application/octet-stream", 0, null))));
    assertThat(att.get("filename").isNull()).isTrue();
  }

  @Test
  void roundTripsUnicodeBodiesAsPlainUtf8() throws Exception {
    String body = "héllo ✓ 日本語 😀🎉 \u0000\u001f \"q\" \\ </script> \u2028";
    byte[] bytes = codec.encode(new MessageFrame(new Message("m", "t", 1, "u", body, 1, null, List.of())));
    assertThat(PLAIN.readTree(bytes).get("body").asText()).isEqualTo(body);
    String text = new String(bytes, UTF_8);
    assertThat(text).contains("😀🎉").contains("日本語");
    // and back through the client decoder
    String send = "{\"type\":\"send\",\"thread\":\"t\",\"body\":"
        + PLAIN.writeValueAsString(body) + "}";
    assertThat(((SendFrame) codec.decode(send.getBytes(UTF_8))).body()).isEqualTo(body);
  }

  @Test
  void roundTripsA16KiBBody() throws Exception {
    String body = "日本".repeat(2730) + "abcd";
    assertThat(body.getBytes(UTF_8)).hasSize(16 * 1024);
    String send = "{\"type\":\"send\",\"id\":\"big\",\"thread\":\"t\",\"body\":\"" + body + "\"}";
    SendFrame in = (SendFrame) codec.decode(send.getBytes(UTF_8));
    assertThat(in.body()).isEqualTo(body);
    byte[] out = codec.encode(new MessageFrame(new Message("m", "t", 1, "u", in.body(), 1, null, null)));
    assertThat(PLAIN.readTree(out).get("body").asText()).isEqualTo(body);
  }

  @Test
  void escapesControlCharactersAndQuotesInStrings() throws Exception {
    byte[] out = codec.encode(new ErrorFrame("a\"b", ErrorCode.INTERNAL, "line1\nline2\t\"x\""));
    JsonNode n = PLAIN.readTree(out);
    assertThat(n.get("id").asText()).isEqualTo("a\"b");
    assertThat(n.get("message").asText()).isEqualTo("line1\nline2\t\"x\"");
  }
}
