package dev.parley.server.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.ChatException;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.Json;
import dev.parley.server.conformance.LeakDetectionExtension;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * {@link Json#read(byte[], Class)} on hostile REST bodies: it returns a value or throws
 * {@link ChatException} with {@code bad_request}, never anything else (which the router would turn
 * into a 500). The body types mirror the shapes of the REST routes' bodies: strings, wrapper and
 * primitive numbers, lists, maps, a nested record, and validation in a compact constructor.
 */
class JsonBodyFuzzTest {
  record SendBody(String body, String clientId, List<String> attachments) {
  }

  record ReadBody(Long seq) {
  }

  record CreateBody(String kind, String title, List<String> members) {
  }

  record Mixed(long count, int small, double ratio, boolean flag, Map<String, Long> seqs,
               List<List<String>> nested, ReadBody inner) {
  }

  record Validated(String username, String password) {
    Validated {
      if (username == null || username.length() < 3) {
        throw ChatException.badRequest("username must be 3 characters or more");
      }
    }
  }

  private static final List<Class<?>> TYPES = List.of(SendBody.class, ReadBody.class,
      CreateBody.class, Mixed.class, Validated.class);

  private static final List<byte[]> VALID = Mutations.utf8(
      "{\"body\":\"hello\",\"clientId\":\"c1\",\"attachments\":[\"a1\"]}",
      "{\"seq\":17}",
      "{\"kind\":\"group\",\"title\":\"t\",\"members\":[\"u1\",\"u2\"]}",
      "{\"count\":1,\"small\":2,\"ratio\":0.5,\"flag\":true,\"seqs\":{\"t\":3},\"nested\":[[\"x\"]],\"inner\":{\"seq\":1}}",
      "{\"username\":\"alice\",\"password\":\"secret-password\"}");

  @Property(tries = 1500)
  void mutatedBodiesReadOrAreBadRequests(@ForAll("mutatedBodies") byte[] body,
                                         @ForAll @IntRange(max = 4) int type) {
    readsOrRejects(body, TYPES.get(type));
  }

  @Property(tries = 1000)
  void randomJsonReadsOrIsABadRequest(@ForAll("jsonValues") String json,
                                      @ForAll @IntRange(max = 4) int type) {
    readsOrRejects(json.getBytes(StandardCharsets.UTF_8), TYPES.get(type));
  }

  @Property(tries = 500)
  void randomBytesAreBadRequests(@ForAll @Size(max = 200) byte[] body,
                                 @ForAll @IntRange(max = 4) int type) {
    readsOrRejects(body, TYPES.get(type));
  }

  @Property(tries = 40)
  void deepNestingIsABadRequest(@ForAll @IntRange(min = 1, max = 20_000) int depth,
                                @ForAll boolean objects, @ForAll boolean closed) {
    byte[] body = Mutations.nested(depth, objects, closed).getBytes(StandardCharsets.UTF_8);
    for (Class<?> type : TYPES) {
      readsOrRejects(body, type);
    }
  }

  @Provide
  Arbitrary<byte[]> mutatedBodies() {
    return Mutations.mutated(VALID);
  }

  @Provide
  Arbitrary<String> jsonValues() {
    return Mutations.jsonValues();
  }

  private static void readsOrRejects(byte[] body, Class<?> type) {
    Object value;
    try {
      value = Json.read(body, type);
    } catch (ChatException e) {
      assertThat(e.code()).as("code of %s", e.getMessage()).isEqualTo(ErrorCode.BAD_REQUEST);
      assertThat(e.getMessage()).isNotBlank();
      return;
    }
    assertThat(value).isInstanceOf(type);
  }

  @AfterContainer
  static void noBufferLeaked() {
    LeakDetectionExtension.assertNoLeaks();
  }
}
