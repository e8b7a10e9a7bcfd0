package dev.parley.protocol;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class JsonTest {
  record PostMessage(String body, String clientId, List<String> attachments) {
  }

  record MarkRead(long seq) {
  }

  record Paging(Long before, Integer limit, Boolean desc, Double weight) {
  }

  record Named(String name) {
    Named {
      if (name == null || name.isBlank()) {
        throw ChatException.badRequest("name is required");
      }
    }
  }

  private static ChatException reject(String body, Class<?> type) {
    ChatException e = catchThrowableOfType(ChatException.class, () -> Json.read(body.getBytes(UTF_8), type));
    assertThat(e).as("reading %s should fail", body).isNotNull();
    assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST);
    assertThat(e.getMessage()).isNotBlank();
    return e;
  }

  @Test
  void readsARecordIgnoringUnknownFields() {
    PostMessage m = Json.read("{\"body\":\"hi 😀\",\"clientId\":\"c\",\"attachments\":[\"a\"],\"x\":{\"y\":1}}"
        .getBytes(UTF_8), PostMessage.class);
    assertThat(m).isEqualTo(new PostMessage("hi 😀", "c", List.of("a")));
  }

  @Test
  void leavesAbsentReferenceFieldsNull() {
    assertThat(Json.read("{}".getBytes(UTF_8), PostMessage.class)).isEqualTo(new PostMessage(null, null, null));
    assertThat(Json.read("{\"limit\":5}".getBytes(UTF_8), Paging.class))
        .isEqualTo(new Paging(null, 5, null, null));
  }

  @Test
  void readsIntegralNumbersIntoPrimitives() {
    assertThat(Json.read("{\"seq\":9007199254740993}".getBytes(UTF_8), MarkRead.class).seq())
        .isEqualTo(9007199254740993L);
  }

  @Test
  void acceptsAnIntegerForADecimalField() {
    assertThat(Json.read("{\"weight\":2}".getBytes(UTF_8), Paging.class).weight()).isEqualTo(2.0);
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"body\":5}", "{\"body\":5.5}", "{\"body\":true}", "{\"clientId\":1}",
      "{\"body\":{}}", "{\"body\":[\"x\"]}"})
  void rejectsNonStringsForStringFields(String body) {
    assertThat(reject(body, PostMessage.class).getMessage()).contains("must be a string");
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"seq\":\"5\"}", "{\"seq\":\"\"}", "{\"seq\":1.5}", "{\"seq\":1.0}",
      "{\"seq\":1e2}", "{\"seq\":true}", "{\"seq\":null}", "{\"seq\":[1]}"})
  void rejectsAnythingButAnIntegerForAPrimitiveLong(String body) {
    assertThat(reject(body, MarkRead.class).getMessage()).startsWith("field 'seq' ").endsWith("must be an integer");
  }

  @Test
  void rejectsAMissingPrimitive() {
    assertThat(reject("{}", MarkRead.class).getMessage())
        .isEqualTo("field 'seq' is required and must be an integer");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{\"before\":\"3\"}|before",
      "{\"before\":\"\"}|before",
      "{\"limit\":2.5}|limit",
      "{\"limit\":\"10\"}|limit",
      "{\"desc\":\"true\"}|desc",
      "{\"desc\":1}|desc",
      "{\"weight\":\"1.5\"}|weight",
      "{\"weight\":\"\"}|weight"})
  void rejectsCoercionIntoWrapperFields(String body, String field) {
    assertThat(reject(body, Paging.class).getMessage()).startsWith("field '" + field + "' must be");
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"attachments\":\"a\"}", "{\"attachments\":[1]}", "{\"attachments\":[\"a\",true]}",
      "{\"attachments\":{}}"})
  void rejectsAttachmentsThatAreNotAStringArray(String body) {
    assertThat(reject(body, PostMessage.class).getMessage()).contains("'attachments");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "   ", "nope", "{", "{\"body\":\"x\",}", "[]", "[{\"body\":\"x\"}]", "\"x\"",
      "5", "null", "{\"body\":\"x\"} {}", "{\"body\":\"x\"} x", "{\"body\":\"x\",\"body\":\"y\"}"})
  void rejectsBodiesThatAreNotExactlyOneJsonObject(String body) {
    reject(body, PostMessage.class);
  }

  @Test
  void rejectsANullBody() {
    ChatException e = catchThrowableOfType(ChatException.class, () -> Json.read(null, PostMessage.class));
    assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST);
  }

  @Test
  void passesThroughAChatExceptionFromTheRecordsConstructor() {
    assertThat(reject("{\"name\":\"  \"}", Named.class).getMessage()).isEqualTo("name is required");
    assertThat(Json.read("{\"name\":\"x\"}".getBytes(UTF_8), Named.class).name()).isEqualTo("x");
  }

  @Test
  void mapperIsTheStrictSharedOne() {
    assertThat(Json.mapper()).isSameAs(Json.mapper());
    assertThat(Json.factory()).isSameAs(Json.factory());
  }

  @Test
  void writesTheErrorBody() throws Exception {
    JsonNode n = new ObjectMapper().readTree(Json.errorBody(ErrorCode.TOO_LARGE, "body over 16384 bytes"));
    assertThat(n.size()).isEqualTo(1);
    assertThat(n.get("error").get("code").asText()).isEqualTo("too_large");
    assertThat(n.get("error").get("message").asText()).isEqualTo("body over 16384 bytes");
    JsonNode fromException = new ObjectMapper().readTree(Json.errorBody(ChatException.notFound("no \"such\" thread")));
    assertThat(fromException.get("error").get("code").asText()).isEqualTo("not_found");
    assertThat(fromException.get("error").get("message").asText()).isEqualTo("no \"such\" thread");
  }
}
