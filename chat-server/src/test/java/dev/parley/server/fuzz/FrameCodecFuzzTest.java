package dev.parley.server.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.frame.ClientFrame;
import dev.parley.protocol.frame.FrameCodec;
import dev.parley.server.conformance.LeakDetectionExtension;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * {@link FrameCodec#decode(byte[])} on hostile input: whatever arrives in a text frame, the codec
 * either returns a frame or throws {@link ProtocolException} with {@code bad_request}; never
 * another exception, which would escape the session as an internal error.
 */
class FrameCodecFuzzTest {
  private static final List<byte[]> VALID = Mutations.utf8(
      "{\"type\":\"send\",\"id\":\"1\",\"thread\":\"t1\",\"body\":\"hello\",\"clientId\":\"c\",\"attachments\":[\"a\",\"b\"]}",
      "{\"type\":\"typing\",\"thread\":\"t1\"}",
      "{\"type\":\"read\",\"id\":\"r\",\"thread\":\"t1\",\"seq\":42}",
      "{\"type\":\"sync\",\"id\":\"s\",\"threads\":{\"t1\":0,\"t2\":9223372036854775807}}",
      "{\"type\":\"presence\",\"id\":\"p\",\"users\":[\"u1\",\"u2\"]}",
      "{\"type\":\"ping\"}",
      "{\"type\":\"auth\",\"id\":\"a\",\"token\":\"eyJhbGciOiJIUzI1NiJ9.e30.sig\"}",
      "{\"type\":\"send\",\"thread\":\"t\",\"body\":\"\\ud83d\\ude00 caf\u00e9 \\u00e9\"}");

  private final FrameCodec codec = new FrameCodec();

  @Property(tries = 2000)
  void mutatedValidFramesDecodeOrAreBadRequests(@ForAll("mutatedFrames") byte[] frame) {
    decodesOrRejects(frame);
    decodesOrRejects(new String(frame, StandardCharsets.UTF_8));
  }

  @Property(tries = 1000)
  void randomBytesAreBadRequests(@ForAll @Size(max = 300) byte[] frame) {
    decodesOrRejects(frame);
  }

  @Property(tries = 1000)
  void randomJsonObjectsDecodeOrAreBadRequests(@ForAll("jsonObjects") String json) {
    decodesOrRejects(json.getBytes(StandardCharsets.UTF_8));
    decodesOrRejects(json);
  }

  @Property(tries = 500)
  void randomJsonValuesDecodeOrAreBadRequests(@ForAll("jsonValues") String json) {
    decodesOrRejects(json.getBytes(StandardCharsets.UTF_8));
  }

  @Property(tries = 60)
  void deepNestingIsABadRequestOrIgnored(@ForAll @IntRange(min = 1, max = 20_000) int depth,
                                         @ForAll boolean objects, @ForAll boolean closed) {
    String json = Mutations.nested(depth, objects, closed);
    decodesOrRejects(json.getBytes(StandardCharsets.UTF_8));
    decodesOrRejects(json);
  }

  @Property(tries = 300)
  void randomStringsWithLoneSurrogatesDecodeOrAreBadRequests(@ForAll String text) {
    decodesOrRejects("{\"type\":\"send\",\"thread\":\"" + text + "\",\"body\":\"" + text + "\"}");
    decodesOrRejects(text);
  }

  @Provide
  Arbitrary<byte[]> mutatedFrames() {
    return Mutations.mutated(VALID);
  }

  @Provide
  Arbitrary<String> jsonObjects() {
    return Mutations.jsonObjects();
  }

  @Provide
  Arbitrary<String> jsonValues() {
    return Mutations.jsonValues();
  }

  private void decodesOrRejects(byte[] frame) {
    ClientFrame decoded;
    try {
      decoded = codec.decode(frame);
    } catch (ProtocolException e) {
      assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST);
      assertThat(e.getMessage()).isNotBlank();
      return;
    }
    assertThat(decoded).isNotNull();
  }

  private void decodesOrRejects(String frame) {
    ClientFrame decoded;
    try {
      decoded = codec.decode(frame);
    } catch (ProtocolException e) {
      assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST);
      return;
    }
    assertThat(decoded).isNotNull();
  }

  @AfterContainer
  static void noBufferLeaked() {
    LeakDetectionExtension.assertNoLeaks();
  }
}
