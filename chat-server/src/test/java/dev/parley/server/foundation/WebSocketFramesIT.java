package dev.parley.server.foundation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.testing.Jwts;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.WsClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The hello frame, ping/pong and the error frames of bad client frames (contract 3 and 6). */
class WebSocketFramesIT {
  @RegisterExtension
  static final TestServer server = TestServer.perClass(b -> b.heartbeatSeconds(7));
  private static TestServer.Account alice;
  private WsClient ws;
  private JsonNode hello;

  @BeforeAll
  static void start() {
    alice = server.register(TestServer.uniqueName("alice"));
  }

  @BeforeEach
  void connect() {
    ws = WsClient.connect(server.wsUri("/ws"), alice.access(), null);
    hello = ws.awaitType("hello");
  }

  @AfterEach
  void disconnect() {
    ws.close();
  }

  /** The connection is still usable: a ping is still answered, and nothing closed it. */
  private void assertStillUsable() {
    ws.send("{\"type\":\"ping\",\"id\":\"still-there\"}");
    assertThat(ws.awaitId("still-there").get("type").asText()).isEqualTo("pong");
    assertThat(ws.isClosed()).isFalse();
  }

  @Test
  void helloIsTheFirstFrameAndCarriesUserNodeHeartbeatAndExpiry() {
    assertThat(ws.received().get(0).get("type").asText()).isEqualTo("hello");
    assertThat(hello.get("user").get("id").asText()).isEqualTo(alice.id());
    assertThat(hello.get("user").get("username").asText()).isEqualTo(alice.username());
    assertThat(hello.get("user").get("displayName").asText()).isEqualTo(alice.username());
    assertThat(hello.get("node").asText()).isEqualTo("test-node");
    assertThat(hello.get("heartbeat").isIntegralNumber()).isTrue();
    assertThat(hello.get("heartbeat").asInt()).isEqualTo(7);
    assertThat(hello.get("expiresAt").isIntegralNumber()).isTrue();
    assertThat(hello.get("expiresAt").asLong()).isEqualTo(Jwts.payload(alice.access()).get("exp").asLong() * 1000);
    assertThat(hello.has("id")).isFalse();
  }

  @Test
  void pingWithAnIdGetsAPongWithTheSameId() {
    ws.send("{\"type\":\"ping\",\"id\":\"abc-1\"}");
    JsonNode pong = ws.awaitId("abc-1");
    assertThat(pong.get("type").asText()).isEqualTo("pong");
  }

  @Test
  void pingWithoutAnIdGetsAPongWithoutOne() {
    ws.send("{\"type\":\"ping\"}");
    JsonNode pong = ws.awaitType("pong");
    assertThat(pong.has("id")).isFalse();
  }

  @Test
  void anIdIsEchoedExactlyWhateverItHolds() {
    String id = "id with spaces, \\\"quotes\\\" and \u00e9";
    ws.send("{\"type\":\"ping\",\"id\":\"" + id + "\"}");
    JsonNode pong = ws.awaitType("pong");
    assertThat(pong.get("id").asText()).isEqualTo("id with spaces, \"quotes\" and \u00e9");
  }

  @ParameterizedTest
  @ValueSource(strings = {"{not json", "{\"type\":\"ping\"", "", "\u0000"})
  void badJsonGivesBadRequestAndTheConnectionStays(String frame) {
    ws.send(frame);
    JsonNode error = ws.awaitType("error");
    assertThat(error.get("code").asText()).isEqualTo("bad_request");
    assertThat(error.get("message").asText()).isNotBlank();
    assertThat(error.has("id")).isFalse();
    assertStillUsable();
  }

  @ParameterizedTest
  @ValueSource(strings = {"[1,2,3]", "\"ping\"", "42", "null", "true"})
  void aNonObjectGivesBadRequestAndTheConnectionStays(String frame) {
    ws.send(frame);
    assertThat(ws.awaitType("error").get("code").asText()).isEqualTo("bad_request");
    assertStillUsable();
  }

  @Test
  void anUnknownTypeGivesBadRequestWithTheId() {
    ws.send("{\"type\":\"dance\",\"id\":\"u1\"}");
    JsonNode error = ws.awaitId("u1");
    assertThat(error.get("type").asText()).isEqualTo("error");
    assertThat(error.get("code").asText()).isEqualTo("bad_request");
    assertStillUsable();
  }

  @Test
  void aMissingTypeGivesBadRequestWithTheId() {
    ws.send("{\"id\":\"t1\"}");
    JsonNode error = ws.awaitId("t1");
    assertThat(error.get("code").asText()).isEqualTo("bad_request");
    assertStillUsable();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "m1|{\"type\":\"send\",\"id\":\"m1\",\"body\":\"hi\"}",
      "m2|{\"type\":\"send\",\"id\":\"m2\",\"thread\":\"t\"}",
      "m3|{\"type\":\"read\",\"id\":\"m3\",\"thread\":\"t\"}",
      "m4|{\"type\":\"auth\",\"id\":\"m4\"}",
      "m5|{\"type\":\"presence\",\"id\":\"m5\"}",
      "m6|{\"type\":\"sync\",\"id\":\"m6\"}",
      "m7|{\"type\":\"typing\",\"id\":\"m7\"}"})
  void aMissingFieldGivesBadRequestWithTheId(String id, String frame) {
    ws.send(frame);
    JsonNode error = ws.awaitId(id);
    assertThat(error.get("type").asText()).isEqualTo("error");
    assertThat(error.get("code").asText()).isEqualTo("bad_request");
    assertStillUsable();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "x1|{\"type\":\"send\",\"id\":\"x1\",\"thread\":123,\"body\":\"hi\"}",
      "x2|{\"type\":\"send\",\"id\":\"x2\",\"thread\":\"t\",\"body\":true}",
      "x3|{\"type\":\"read\",\"id\":\"x3\",\"thread\":\"t\",\"seq\":\"5\"}",
      "x4|{\"type\":\"read\",\"id\":\"x4\",\"thread\":\"t\",\"seq\":1.5}",
      "x5|{\"type\":\"presence\",\"id\":\"x5\",\"users\":\"u\"}",
      "x6|{\"type\":\"sync\",\"id\":\"x6\",\"threads\":{\"t\":\"1\"}}",
      "x7|{\"type\":\"auth\",\"id\":\"x7\",\"token\":{}}",
      "x8|{\"type\":\"send\",\"id\":\"x8\",\"thread\":\"t\",\"body\":\"b\",\"attachments\":[1]}"})
  void aMistypedFieldGivesBadRequestWithTheId(String id, String frame) {
    ws.send(frame);
    JsonNode error = ws.awaitId(id);
    assertThat(error.get("type").asText()).isEqualTo("error");
    assertThat(error.get("code").asText()).isEqualTo("bad_request");
    assertStillUsable();
  }

  @Test
  void aMistypedTypeGivesBadRequest() {
    ws.send("{\"type\":7,\"id\":\"ty\"}");
    assertThat(ws.awaitId("ty").get("code").asText()).isEqualTo("bad_request");
    assertStillUsable();
  }

  @Test
  void anUnknownThreadGivesNotFound() {
    ws.send("{\"type\":\"send\",\"id\":\"nf\",\"thread\":\"no-such-thread\",\"body\":\"hi\"}");
    assertThat(ws.awaitId("nf").get("code").asText()).isEqualTo("not_found");
    assertStillUsable();
  }

  @Test
  void manyErrorsInARowLeaveTheConnectionOpen() {
    for (int i = 0; i < 50; i++) {
      ws.send("{\"type\":\"nope\",\"id\":\"e" + i + "\"}");
    }
    for (int i = 0; i < 50; i++) {
      assertThat(ws.awaitId("e" + i).get("code").asText()).isEqualTo("bad_request");
    }
    assertStillUsable();
  }
}
