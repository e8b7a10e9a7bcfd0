package dev.parley.core.session;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.core.testing.EngineFixture;
import dev.parley.core.testing.TestClient;
import dev.parley.core.testing.TestUser;
import dev.parley.protocol.model.ChatThread;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** hello, ping, and what a broken frame gets: the frames every connection relies on. */
class SessionFramesTest {
  private EngineFixture f;
  private TestUser alice;

  @BeforeEach
  void setUp() {
    f = EngineFixture.create(c -> c.rateLimit(0).nodeId("node-a").heartbeatSeconds(17));
    alice = f.register("alice");
  }

  @AfterEach
  void tearDown() {
    f.close();
  }

  @Test
  void sendsHelloAsTheFirstFrame() {
    TestClient a = f.connect(alice);

    JsonNode hello = a.connection().frames().get(0);
    assertThat(hello.path("type").asText()).isEqualTo("hello");
    assertThat(hello.path("user").path("id").asText()).isEqualTo(alice.id());
    assertThat(hello.path("user").path("username").asText()).isEqualTo("alice");
    assertThat(hello.path("node").asText()).isEqualTo("node-a");
    assertThat(hello.path("heartbeat").asInt()).isEqualTo(17);
    assertThat(hello.path("expiresAt").asLong()).isEqualTo(a.session().expiresAtMillis())
        .isGreaterThan(System.currentTimeMillis());
  }

  @Test
  void sendsHelloFirstEvenWhileMessagesFlowIntoTheUsersThreads() throws Exception {
    TestUser bob = f.register("bob");
    ChatThread t = f.group(bob, alice);
    TestClient b = f.connect(bob);
    AtomicBoolean stop = new AtomicBoolean();
    CountDownLatch started = new CountDownLatch(1);
    Thread sender = new Thread(() -> {
      started.countDown();
      while (!stop.get()) {
        b.sendAndAwait(t.id(), "busy");
      }
    });
    sender.start();
    try {
      started.await();
      b.connection().awaitFrame("ack");
      for (int i = 0; i < 100; i++) {
        TestClient a = f.connect(alice);
        assertThat(a.connection().frames().get(0).path("type").asText())
            .as("first frame of connection %d", i).isEqualTo("hello");
        a.disconnect();
      }
    } finally {
      stop.set(true);
      sender.join();
    }
  }

  @Test
  void answersPingWithPongEchoingTheId() {
    TestClient a = f.connect(alice);
    a.push("{\"type\":\"ping\",\"id\":\"p-1\"}");

    JsonNode pong = a.connection().awaitFrame("pong");
    assertThat(pong.path("id").asText()).isEqualTo("p-1");
  }

  @Test
  void answersPingWithoutIdWithPongWithoutId() {
    TestClient a = f.connect(alice);
    a.push("{\"type\":\"ping\"}");

    JsonNode pong = a.connection().awaitFrame("pong");
    assertThat(pong.has("id")).isFalse();
    assertThat(pong.size()).isEqualTo(1);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "not json",
      "[1,2]",
      "{\"type\":\"dance\",\"id\":\"x\"}",
      "{\"type\":\"send\",\"id\":\"x\",\"body\":\"no thread\"}",
      "{\"type\":\"read\",\"id\":\"x\",\"thread\":\"t\",\"seq\":\"1\"}",
      "{\"type\":\"send\",\"id\":\"x\",\"thread\":1,\"body\":\"hi\"}",
      "{\"id\":\"x\"}"
  })
  void answersBrokenFramesWithBadRequestAndStaysUsable(String frame) {
    TestClient a = f.connect(alice);
    a.push(frame);

    JsonNode error = a.connection().awaitFrame("error");
    assertThat(error.path("code").asText()).isEqualTo("bad_request");
    assertThat(error.path("message").asText()).isNotBlank();
    if (frame.contains("\"id\":\"x\"")) {
      assertThat(error.path("id").asText()).isEqualTo("x");
    }
    assertThat(a.connection().isClosed()).isFalse();

    a.push("{\"type\":\"ping\",\"id\":\"after\"}");
    assertThat(a.connection().awaitReply("after").path("type").asText()).isEqualTo("pong");
  }
}
