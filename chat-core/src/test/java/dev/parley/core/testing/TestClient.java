package dev.parley.core.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.core.session.Session;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One open connection of a test user: the engine's {@link Session} and the
 * {@link RecordingConnection} it writes to, with shortcuts that push client frames into the session
 * the way a transport would. Made by {@link EngineFixture#connect}.
 */
public final class TestClient {
  private final TestUser user;
  private final Session session;
  private final RecordingConnection connection;
  private final ObjectMapper mapper = new ObjectMapper();
  private final AtomicLong frameIds = new AtomicLong();

  TestClient(TestUser user, Session session, RecordingConnection connection) {
    this.user = user;
    this.session = session;
    this.connection = connection;
  }

  public TestUser user() {
    return user;
  }

  public Session session() {
    return session;
  }

  public RecordingConnection connection() {
    return connection;
  }

  /** Pushes a raw text frame (any string, valid JSON or not) into the session. */
  public void push(String text) {
    session.onFrame(text.getBytes(StandardCharsets.UTF_8));
  }

  /** Pushes a frame built as a JSON object. */
  public void push(ObjectNode frame) {
    push(frame.toString());
  }

  /** A new JSON object with {@code type} set, to fill and {@link #push(ObjectNode)}. */
  public ObjectNode frame(String type) {
    return mapper.createObjectNode().put("type", type);
  }

  /** A frame id unique on this client, for frames whose answer the test awaits. */
  public String nextId() {
    return user.username() + "-" + frameIds.incrementAndGet();
  }

  /** Pushes a {@code send} frame with a fresh id (and no clientId); returns the id. */
  public String send(String conversationId, String body) {
    return send(conversationId, body, null);
  }

  /** Pushes a {@code send} frame with a fresh id and the given clientId (may be null); returns the id. */
  public String send(String conversationId, String body, String clientId) {
    String id = nextId();
    ObjectNode f = frame("send").put("id", id).put("thread", conversationId).put("body", body);
    if (clientId != null) {
      f.put("clientId", clientId);
    }
    push(f);
    return id;
  }

  /** Sends and waits for the answer (an {@code ack}, or an {@code error}). */
  public JsonNode sendAndAwait(String conversationId, String body) {
    return connection.awaitReply(send(conversationId, body));
  }

  /** Pushes a {@code sync} frame with a fresh id; returns the id. */
  public String sync(Map<String, Long> lastSeen) {
    String id = nextId();
    ObjectNode f = frame("sync").put("id", id);
    ObjectNode threads = f.putObject("threads");
    lastSeen.forEach(threads::put);
    push(f);
    return id;
  }

  /** The transport's connection is gone: tells the session (idempotent). */
  public void disconnect() {
    session.closed();
  }

  @Override
  public String toString() {
    return "TestClient[" + user.username() + " " + session.id() + "]";
  }
}
