package dev.parley.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.parley.protocol.frame.ClientFrameType;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.WsClient;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The AsyncAPI 3 document of the WebSocket ({@code /asyncapi.json}). No AsyncAPI parser resolves
 * from Maven Central here (com.asyncapi:asyncapi-core is not among the known packages), so its
 * structure is checked by hand: version, every {@code $ref} resolves, operations name their
 * channel's messages, every payload is a JSON schema its examples satisfy. Then it is held against
 * a real server: each frame a client may send, taken from the document's example, is sent over a
 * real WebSocket and answered as its operation's reply says; every frame the server sent during
 * the test matches one of the document's server messages.
 */
class AsyncApiDocumentIT {
  /** Placeholder ids in the document's examples, replaced by the test's real ones. */
  private static final String EXAMPLE_THREAD = "hN6bExampleThread";
  private static final String EXAMPLE_USER = "2vYQExampleUser";
  private static final String EXAMPLE_TOKEN = "eyJhbGciOiJIUzI1NiJ9.example.token";

  @RegisterExtension
  static final TestServer server = TestServer.perClass();

  private static JsonNode doc;
  private static final Map<String, Schema> payloads = new LinkedHashMap<>();

  @BeforeAll
  static void read() throws IOException {
    try (InputStream in = AsyncApiDocumentIT.class.getResourceAsStream("/web/asyncapi.json")) {
      assertThat(in).as("web/asyncapi.json on the classpath").isNotNull();
      doc = TestServer.JSON.readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
    SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    for (Iterator<String> names = doc.at("/components/messages").fieldNames(); names.hasNext(); ) {
      String name = names.next();
      ObjectNode schema = TestServer.JSON.createObjectNode();
      schema.put("$schema", "https://json-schema.org/draft/2020-12/schema");
      schema.set("components", doc.get("components"));
      schema.put("$ref", "#/components/messages/" + name + "/payload");
      payloads.put(name, registry.getSchema(schema.toString(), InputFormat.JSON));
    }
  }

  private static List<String> errors(String message, JsonNode frame) {
    return payloads.get(message).validate(frame.toString(), InputFormat.JSON).stream()
        .map(e -> e.getInstanceLocation() + " " + e.getMessage()).toList();
  }

  /** The names of the operations' messages for {@code action}, in document order. */
  private static List<String> messagesOf(String action) {
    List<String> names = new ArrayList<>();
    doc.get("operations").forEach(op -> {
      if (action.equals(op.get("action").asText())) {
        op.get("messages").forEach(m -> names.add(lastSegment(m)));
        op.path("reply").path("messages").forEach(m -> names.add(lastSegment(m)));
      }
    });
    return names;
  }

  private static String lastSegment(JsonNode ref) {
    String r = ref.get("$ref").asText();
    return r.substring(r.lastIndexOf('/') + 1);
  }

  private static void collectRefs(JsonNode node, List<String> refs) {
    if (node.isObject() && node.has("$ref")) {
      refs.add(node.get("$ref").asText());
    }
    node.forEach(child -> collectRefs(child, refs));
  }

  @Test
  void theDocumentIsWellFormedAsyncApi3() {
    assertThat(doc.path("asyncapi").asText()).isEqualTo("3.0.0");
    assertThat(doc.at("/info/title").asText()).isNotBlank();
    assertThat(doc.at("/info/version").asText()).isNotBlank();
    assertThat(doc.at("/channels/chat/address").asText()).isEqualTo("/ws");
    List<String> refs = new ArrayList<>();
    collectRefs(doc, refs);
    assertThat(refs).isNotEmpty().allSatisfy(ref -> {
      assertThat(ref).startsWith("#/");
      assertThat(doc.at(ref.substring(1)).isMissingNode()).as(ref + " resolves").isFalse();
    });
    doc.get("operations").fields().forEachRemaining(op -> {
      assertThat(op.getValue().get("action").asText()).as(op.getKey()).isIn("send", "receive");
      assertThat(op.getValue().at("/channel/$ref").asText()).isEqualTo("#/channels/chat");
      op.getValue().get("messages").forEach(m ->
          assertThat(m.get("$ref").asText()).as(op.getKey()).startsWith("#/channels/chat/messages/"));
    });
    doc.at("/components/messages").fields().forEachRemaining(m -> {
      assertThat(m.getValue().get("examples")).as(m.getKey() + " examples").isNotEmpty();
      m.getValue().get("examples").forEach(ex ->
          assertThat(errors(m.getKey(), ex.get("payload"))).as(m.getKey() + " example").isEmpty());
    });
  }

  @Test
  void theSchemasRefuseWrongFrames() {
    assertThat(errors("messageAck", read("{\"type\":\"ack\",\"id\":\"r1\",\"thread\":\"t\",\"ts\":1}"))).isNotEmpty();
    assertThat(errors("pong", read("{\"type\":\"pong\",\"extra\":1}"))).isNotEmpty();
    assertThat(errors("hello", read("{\"type\":\"hello\",\"user\":{\"id\":1},\"node\":\"n\",\"heartbeat\":30,\"expiresAt\":1}")))
        .as("a $ref'd component schema is applied").isNotEmpty();
    assertThat(errors("pong", read("{\"type\":\"pong\",\"id\":\"k\"}"))).isEmpty();
  }

  @Test
  void everyClientFrameTypeIsDocumented() {
    Set<String> documented = messagesOf("receive").stream()
        .map(n -> doc.at("/components/messages/" + n + "/payload/properties/type/const").asText())
        .collect(Collectors.toSet());
    for (ClientFrameType t : ClientFrameType.values()) {
      assertThat(documented).as("client frame " + t.wire()).contains(t.wire());
    }
  }

  @Test
  void theServerServesTheDocument() throws IOException {
    TestServer.Response r = server.get("/asyncapi.json", null);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
    assertThat(TestServer.JSON.readTree(r.body())).isEqualTo(doc);
  }

  @Test
  void everyClientFrameIsAnsweredAsDescribed() {
    TestServer.Account alice = server.register(TestServer.uniqueName("alice"));
    TestServer.Account bob = server.register(TestServer.uniqueName("bob"));
    try (WsClient b = server.connect(bob.access()); WsClient a = server.connect(alice.access())) {
      String thread = server.group(alice, "asyncapi", bob);
      a.awaitType("thread");
      String freshToken = server.post("/api/auth/login", null, "{\"username\":\"" + alice.username()
          + "\",\"password\":\"" + TestServer.PASSWORD + "\"}").json().get("access").asText();

      int fence = 0;
      for (JsonNode op : doc.get("operations")) {
        if (!"receive".equals(op.get("action").asText())) {
          continue;
        }
        String name = lastSegment(op.get("messages").get(0));
        String example = doc.at("/components/messages/" + name + "/examples/0/payload").toString()
            .replace(EXAMPLE_THREAD, thread).replace(EXAMPLE_USER, bob.id()).replace(EXAMPLE_TOKEN, freshToken);
        JsonNode frame = read(example);
        int before = a.received().size();
        a.send(example);
        if (op.has("reply")) {
          JsonNode answer = a.awaitId(frame.get("id").asText());
          List<String> allowed = new ArrayList<>();
          op.at("/reply/messages").forEach(m -> allowed.add(lastSegment(m)));
          allowed.remove("error"); // a valid example in a valid context is not refused
          assertThat(allowed).as(name + ": the answer " + answer + " is one of the replies")
              .anyMatch(reply -> errors(reply, answer).isEmpty());
        } else {
          // no answer: whatever came before the fence's pong is no error
          String id = "fence-" + fence++;
          a.send("{\"type\":\"ping\",\"id\":\"" + id + "\"}");
          a.awaitId(id);
          assertThat(a.received().subList(before, a.received().size()))
              .as(name + " is not answered with an error").noneMatch(n -> "error".equals(n.path("type").asText()));
        }
      }
      b.awaitType("deleted"); // the last change reaches the other member too
      a.awaitType("deleted");

      // the server's messages: those it sends unprompted and the replies to the client's frames
      List<String> sent = messagesOf("send");
      sent.addAll(messagesOf("receive").stream().filter(n -> !clientMessages().contains(n)).toList());
      Set<String> seenTypes = new TreeSet<>();
      for (WsClient c : List.of(a, b)) {
        for (JsonNode received : c.received()) {
          seenTypes.add(received.path("type").asText());
          assertThat(sent).as("a documented server message matches " + received)
              .anyMatch(n -> errors(n, received).isEmpty());
        }
      }
      assertThat(seenTypes).contains("hello", "thread", "ack", "message", "typing", "read", "presence",
          "synced", "pong", "edited", "reaction", "deleted");
    }
  }

  private static Set<String> clientMessages() {
    Set<String> names = new TreeSet<>();
    doc.get("operations").forEach(op -> {
      if ("receive".equals(op.get("action").asText())) {
        op.get("messages").forEach(m -> names.add(lastSegment(m)));
      }
    });
    return names;
  }

  private static JsonNode read(String json) {
    try {
      return TestServer.JSON.readTree(json);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
