package dev.parley.protocol.frame;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.ProtocolException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class FrameCodecDecodeTest {
  private final FrameCodec codec = new FrameCodec();

  private ProtocolException reject(String json) {
    ProtocolException e = catchThrowableOfType(ProtocolException.class, () -> codec.decode(json));
    assertThat(e).as("decoding %s should fail", json).isNotNull();
    assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST);
    // the byte[] entry point must agree with the String one
    ProtocolException fromBytes =
        catchThrowableOfType(ProtocolException.class, () -> codec.decode(json.getBytes(UTF_8)));
    assertThat(fromBytes).isNotNull();
    assertThat(fromBytes.getMessage()).isEqualTo(e.getMessage());
    assertThat(fromBytes.frameId()).isEqualTo(e.frameId());
    return e;
  }

  // ------------------------------------------------------------ every frame type

  @Test
  void decodesSendWithAllFields() {
    ClientFrame f = codec.decode(
        "{\"type\":\"send\",\"id\":\"f1\",\"thread\":\"t1\",\"body\":\"hi\",\"clientId\":\"c1\","
            + "\"attachments\":[\"a1\",\"a2\"]}");
    assertThat(f).isEqualTo(new SendFrame("f1", "t1", "hi", "c1", List.of("a1", "a2")));
    assertThat(f.type()).isEqualTo(ClientFrameType.SEND);
    assertThat(f.id()).isEqualTo("f1");
  }

  @Test
  void decodesSendWithoutOptionalsAsNullIdAndEmptyAttachments() {
    SendFrame f = (SendFrame) codec.decode("{\"type\":\"send\",\"thread\":\"t1\",\"body\":\"hi\"}");
    assertThat(f.id()).isNull();
    assertThat(f.clientId()).isNull();
    assertThat(f.attachments()).isEmpty();
  }

  @Test
  void decodesFieldsInAnyOrderWithTypeLast() {
    ClientFrame f = codec.decode("{\"body\":\"b\",\"thread\":\"t\",\"id\":\"x\",\"type\":\"send\"}");
    assertThat(f).isEqualTo(new SendFrame("x", "t", "b", null, List.of()));
  }

  @Test
  void decodesTyping() {
    assertThat(codec.decode("{\"type\":\"typing\",\"thread\":\"t1\"}"))
        .isEqualTo(new TypingFrame(null, "t1"));
    assertThat(codec.decode("{\"type\":\"typing\",\"thread\":\"t1\",\"id\":\"9\"}").id()).isEqualTo("9");
  }

  @Test
  void decodesRead() {
    assertThat(codec.decode("{\"type\":\"read\",\"id\":\"r\",\"thread\":\"t1\",\"seq\":42}"))
        .isEqualTo(new ReadFrame("r", "t1", 42));
  }

  @Test
  void decodesReadWithLargeSeq() {
    ReadFrame f = (ReadFrame) codec.decode("{\"type\":\"read\",\"thread\":\"t\",\"seq\":9007199254740993}");
    assertThat(f.seq()).isEqualTo(9007199254740993L);
  }

  @Test
  void decodesSyncKeepingInsertionOrder() {
    SyncFrame f = (SyncFrame) codec.decode(
        "{\"type\":\"sync\",\"id\":\"s\",\"threads\":{\"z\":3,\"a\":0,\"m\":17}}");
    assertThat(f.id()).isEqualTo("s");
    assertThat(f.threads()).containsExactly(Map.entry("z", 3L), Map.entry("a", 0L), Map.entry("m", 17L));
  }

  @Test
  void decodesSyncWithNoThreads() {
    assertThat(((SyncFrame) codec.decode("{\"type\":\"sync\",\"threads\":{}}")).threads()).isEmpty();
  }

  @Test
  void decodesPresenceQuery() {
    assertThat(codec.decode("{\"type\":\"presence\",\"id\":\"p\",\"users\":[\"u1\",\"u2\"]}"))
        .isEqualTo(new PresenceQueryFrame("p", List.of("u1", "u2")));
  }

  @Test
  void decodesPingWithAndWithoutId() {
    assertThat(codec.decode("{\"type\":\"ping\"}")).isEqualTo(new PingFrame(null));
    assertThat(codec.decode("{\"type\":\"ping\",\"id\":\"abc\"}")).isEqualTo(new PingFrame("abc"));
  }

  @Test
  void decodesAuth() {
    assertThat(codec.decode("{\"type\":\"auth\",\"id\":\"a\",\"token\":\"eyJ.x.y\"}"))
        .isEqualTo(new AuthFrame("a", "eyJ.x.y"));
  }

  @Test
  void authFrameHidesTokenInToString() {
    assertThat(new AuthFrame("a", "secret-token").toString()).doesNotContain("secret-token");
  }

  @Test
  void ignoresUnknownExtraFieldsOfAnyShape() {
    ClientFrame f = codec.decode("{\"type\":\"ping\",\"id\":\"i\",\"extra\":{\"deep\":[1,{\"x\":null}]},"
        + "\"n\":1.5,\"b\":true}");
    assertThat(f).isEqualTo(new PingFrame("i"));
  }

  @Test
  void ignoresKnownFieldsThatTheTypeDoesNotUseEvenIfMistyped() {
    assertThat(codec.decode("{\"type\":\"ping\",\"seq\":\"x\",\"thread\":5}")).isEqualTo(new PingFrame(null));
  }

  @Test
  void treatsExplicitNullOptionalsAsAbsent() {
    assertThat(codec.decode("{\"type\":\"send\",\"id\":null,\"thread\":\"t\",\"body\":\"b\",\"clientId\":null,"
        + "\"attachments\":null}")).isEqualTo(new SendFrame(null, "t", "b", null, List.of()));
  }

  @Test
  void acceptsWhitespaceAroundTheObject() {
    assertThat(codec.decode("  \n{\"type\":\"ping\"}\n  ")).isEqualTo(new PingFrame(null));
  }

  @Test
  void decodesEveryClientFrameTypeByWireName() {
    for (ClientFrameType t : ClientFrameType.values()) {
      assertThat(ClientFrameType.fromWire(t.wire())).isEqualTo(t);
    }
    assertThat(ClientFrameType.fromWire("SEND")).isNull();
  }

  // ------------------------------------------------------------ unicode and size

  @Test
  void decodesUnicodeBodiesFromUtf8Bytes() {
    String body = "héllo wörld ✓ 日本語 😀🎉 \u0000 \"quoted\" \\ back";
    String json = "{\"type\":\"send\",\"thread\":\"t\",\"body\":\"héllo wörld ✓ 日本語 😀🎉 \\u0000 "
        + "\\\"quoted\\\" \\\\ back\"}";
    assertThat(((SendFrame) codec.decode(json.getBytes(UTF_8))).body()).isEqualTo(body);
    assertThat(((SendFrame) codec.decode(json)).body()).isEqualTo(body);
  }

  @Test
  void decodesEscapedSurrogatePairs() {
    SendFrame f = (SendFrame) codec.decode("{\"type\":\"send\",\"thread\":\"t\",\"body\":\"\\ud83d\\ude00\"}");
    assertThat(f.body()).isEqualTo("😀");
  }

  @Test
  void rejectsUnpairedSurrogateInBody() {
    ProtocolException e = reject("{\"type\":\"send\",\"id\":\"i\",\"thread\":\"t\",\"body\":\"a\\ud800b\"}");
    assertThat(e.getMessage()).contains("'body'").contains("surrogate");
    assertThat(e.frameId()).isEqualTo("i");
  }

  @Test
  void decodesA16KiBBody() {
    String body = "x".repeat(16 * 1024 - 6) + "é😀";
    assertThat(body.getBytes(UTF_8)).hasSize(16 * 1024);
    String json = "{\"type\":\"send\",\"thread\":\"t\",\"body\":\"" + body + "\"}";
    assertThat(((SendFrame) codec.decode(json.getBytes(UTF_8))).body()).isEqualTo(body);
  }

  // ------------------------------------------------------------ structural errors

  @ParameterizedTest
  @ValueSource(strings = {"", "   ", "{", "{\"type\":\"ping\"", "not json", "{'type':'ping'}",
      "{\"type\":\"ping\",}", "{type:\"ping\"}", "\"ping\""})
  void rejectsMalformedOrEmptyInput(String json) {
    ProtocolException e = reject(json);
    assertThat(e.getMessage()).isNotBlank();
  }

  @ParameterizedTest
  @ValueSource(strings = {"[]", "[{\"type\":\"ping\"}]", "\"x\"", "42", "null", "true"})
  void rejectsNonObjectFrames(String json) {
    assertThat(reject(json).getMessage()).contains("JSON object");
  }

  @Test
  void rejectsInvalidUtf8Bytes() {
    byte[] bad = {'{', '"', 't', 'y', 'p', 'e', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
    ProtocolException e = catchThrowableOfType(ProtocolException.class, () -> codec.decode(bad));
    assertThat(e).isNotNull();
    assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST);
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"type\":\"ping\"}{\"type\":\"ping\"}", "{\"type\":\"ping\"} x",
      "{\"type\":\"ping\"} 1", "{\"type\":\"ping\"}]"})
  void rejectsTrailingDataAfterTheObject(String json) {
    assertThat(reject(json).getMessage()).isNotBlank();
  }

  @Test
  void trailingDataErrorStillEchoesTheId() {
    assertThat(reject("{\"type\":\"ping\",\"id\":\"q\"} {}").frameId()).isEqualTo("q");
  }

  @Test
  void rejectsDuplicateKeys() {
    ProtocolException e = reject("{\"type\":\"ping\",\"type\":\"send\"}");
    assertThat(e.getMessage()).containsIgnoringCase("duplicate");
  }

  @Test
  void rejectsDuplicateKeysInsideSyncThreads() {
    reject("{\"type\":\"sync\",\"threads\":{\"a\":1,\"a\":2}}");
  }

  // ------------------------------------------------------------ type errors

  @Test
  void rejectsMissingType() {
    ProtocolException e = reject("{\"id\":\"x\",\"thread\":\"t\"}");
    assertThat(e.getMessage()).contains("'type'");
    assertThat(e.frameId()).isEqualTo("x");
  }

  @ParameterizedTest
  @ValueSource(strings = {"1", "null", "true", "[\"send\"]", "{}", "1.5"})
  void rejectsNonStringType(String type) {
    ProtocolException e = reject("{\"id\":\"x\",\"type\":" + type + "}");
    assertThat(e.getMessage()).contains("'type'");
    assertThat(e.frameId()).isEqualTo("x");
  }

  @ParameterizedTest
  @ValueSource(strings = {"bogus", "SEND", "", "message", "ack"})
  void rejectsUnknownType(String type) {
    ProtocolException e = reject("{\"type\":\"" + type + "\",\"id\":\"u\"}");
    assertThat(e.getMessage()).contains("unknown frame type");
    assertThat(e.frameId()).isEqualTo("u");
  }

  // ------------------------------------------------------------ id

  @ParameterizedTest
  @ValueSource(strings = {"1", "1.5", "true", "[\"a\"]", "{\"a\":1}"})
  void rejectsNonStringIdWithoutEchoingIt(String id) {
    ProtocolException e = reject("{\"type\":\"ping\",\"id\":" + id + "}");
    assertThat(e.getMessage()).contains("'id'");
    assertThat(e.frameId()).isNull();
  }

  @Test
  void echoesIdReadBeforeAMalformedPart() {
    assertThat(reject("{\"id\":\"early\",\"type\":\"ping\",").frameId()).isEqualTo("early");
  }

  @Test
  void echoesIdWhenARequiredFieldIsMissing() {
    ProtocolException e = reject("{\"type\":\"send\",\"id\":\"m\",\"thread\":\"t\"}");
    assertThat(e.frameId()).isEqualTo("m");
  }

  // ------------------------------------------------------------ missing required fields

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{\"type\":\"send\",\"body\":\"b\"}|thread",
      "{\"type\":\"send\",\"thread\":\"t\"}|body",
      "{\"type\":\"typing\"}|thread",
      "{\"type\":\"read\",\"seq\":1}|thread",
      "{\"type\":\"read\",\"thread\":\"t\"}|seq",
      "{\"type\":\"sync\"}|threads",
      "{\"type\":\"presence\"}|users",
      "{\"type\":\"auth\"}|token"})
  void rejectsMissingRequiredField(String json, String field) {
    ProtocolException e = reject(json);
    assertThat(e.getMessage()).isEqualTo("missing required field '" + field + "'");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{\"type\":\"send\",\"thread\":null,\"body\":\"b\"}|thread",
      "{\"type\":\"send\",\"thread\":\"t\",\"body\":null}|body",
      "{\"type\":\"read\",\"thread\":\"t\",\"seq\":null}|seq",
      "{\"type\":\"auth\",\"token\":null}|token"})
  void rejectsNullForRequiredField(String json, String field) {
    assertThat(reject(json).getMessage()).contains("'" + field + "'").contains("null");
  }

  // ------------------------------------------------------------ number / string confusion

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{\"type\":\"send\",\"thread\":5,\"body\":\"b\"}|thread",
      "{\"type\":\"send\",\"thread\":\"t\",\"body\":5}|body",
      "{\"type\":\"send\",\"thread\":\"t\",\"body\":true}|body",
      "{\"type\":\"send\",\"thread\":\"t\",\"body\":[\"b\"]}|body",
      "{\"type\":\"send\",\"thread\":\"t\",\"body\":{}}|body",
      "{\"type\":\"send\",\"thread\":\"t\",\"body\":\"b\",\"clientId\":7}|clientId",
      "{\"type\":\"typing\",\"thread\":1.0}|thread",
      "{\"type\":\"read\",\"thread\":12,\"seq\":1}|thread",
      "{\"type\":\"auth\",\"token\":123}|token"})
  void rejectsNonStringWhereStringIsDue(String json, String field) {
    ProtocolException e = reject(json);
    assertThat(e.getMessage()).startsWith("field '" + field + "' must be a string");
  }

  @ParameterizedTest
  @ValueSource(strings = {"\"5\"", "\"\"", "5.0", "5.5", "1e3", "true", "[5]", "{}",
      "99999999999999999999999"})
  void rejectsSeqThatIsNotAnIntegralNumber(String seq) {
    ProtocolException e = reject("{\"type\":\"read\",\"id\":\"s\",\"thread\":\"t\",\"seq\":" + seq + "}");
    assertThat(e.getMessage()).startsWith("field 'seq' must be an integer");
    assertThat(e.frameId()).isEqualTo("s");
  }

  @ParameterizedTest
  @ValueSource(strings = {"[]", "\"t\"", "5", "{\"t\":\"5\"}", "{\"t\":5.5}", "{\"t\":null}", "{\"t\":[1]}",
      "{\"t\":{}}", "{\"a\":1,\"t\":true}"})
  void rejectsThreadsThatAreNotAnObjectOfIntegralSeqs(String threads) {
    ProtocolException e = reject("{\"type\":\"sync\",\"threads\":" + threads + "}");
    assertThat(e.getMessage()).startsWith("field 'threads' must be an object");
  }

  @Test
  void namesTheBadThreadInSyncErrors() {
    assertThat(reject("{\"type\":\"sync\",\"threads\":{\"ok\":1,\"bad\":\"2\"}}").getMessage())
        .contains("\"bad\"").contains("a string");
  }

  @ParameterizedTest
  @ValueSource(strings = {"\"u1\"", "{}", "[1]", "[\"u1\",2]", "[null]", "[[\"u1\"]]", "5"})
  void rejectsUsersThatAreNotAnArrayOfStrings(String users) {
    ProtocolException e = reject("{\"type\":\"presence\",\"users\":" + users + "}");
    assertThat(e.getMessage()).startsWith("field 'users' must be an array of strings");
  }

  @ParameterizedTest
  @ValueSource(strings = {"\"a1\"", "{}", "[1]", "[\"a1\",{}]", "[true]", "3"})
  void rejectsAttachmentsThatAreNotAnArrayOfStrings(String attachments) {
    ProtocolException e = reject("{\"type\":\"send\",\"thread\":\"t\",\"body\":\"b\",\"attachments\":"
        + attachments + "}");
    assertThat(e.getMessage()).startsWith("field 'attachments' must be an array of strings");
  }

  @Test
  void isSafeToShareAcrossThreads() throws Exception {
    Thread[] workers = new Thread[4];
    java.util.concurrent.atomic.AtomicInteger ok = new java.util.concurrent.atomic.AtomicInteger();
    for (int i = 0; i < workers.length; i++) {
      int n = i;
      workers[i] = new Thread(() -> {
        for (int j = 0; j < 2_000; j++) {
          ReadFrame f = (ReadFrame) codec.decode(
              "{\"type\":\"read\",\"thread\":\"t" + n + "\",\"seq\":" + j + "}");
          if (f.thread().equals("t" + n) && f.seq() == j) {
            ok.incrementAndGet();
          }
        }
      });
      workers[i].start();
    }
    for (Thread w : workers) {
      w.join();
    }
    assertThat(ok.get()).isEqualTo(8_000);
  }
}
