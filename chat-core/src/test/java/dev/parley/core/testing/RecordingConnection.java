package dev.parley.core.testing;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.core.session.Connection;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A {@link Connection} that keeps, in arrival order, every frame the engine sent it (decoded as a
 * Jackson {@link JsonNode}) and how it was closed, with Awaitility waits for assertions:
 * {@link #awaitFrame(String)}, {@link #awaitReply(String)}, {@link #awaitClosed()}. No sockets.
 *
 * <p>Thread-safe; {@link #send} never blocks (it only appends to a list), as the engine requires.
 * A listener given to {@link #onClose(Runnable)} runs once on the first {@link #close}, the way a
 * transport reports a closed channel (the {@link EngineFixture} uses it to call
 * {@code Session.closed()}).
 */
public final class RecordingConnection implements Connection {
  /** How long the {@code await*} methods wait before failing the test. */
  public static final Duration TIMEOUT = Duration.ofSeconds(10);
  /** How long {@link #assertNoFrame} watches for a frame that must not come. */
  public static final Duration QUIET = Duration.ofMillis(300);

  private final String name;
  private final ObjectMapper mapper = new ObjectMapper();
  private final List<JsonNode> frames = new ArrayList<>(); // guarded by this
  private int closeCode = -1; // guarded by this
  private String closeReason; // guarded by this
  private volatile Runnable closeListener = () -> { };

  public RecordingConnection(String name) {
    this.name = Objects.requireNonNull(name, "name");
  }

  @Override
  public void send(byte[] encodedFrame) {
    JsonNode frame;
    try {
      frame = mapper.readTree(encodedFrame);
    } catch (IOException e) {
      ObjectNode broken = mapper.createObjectNode();
      broken.put("type", "<unparseable>");
      broken.put("raw", new String(encodedFrame, StandardCharsets.UTF_8));
      frame = broken;
    }
    synchronized (this) {
      frames.add(frame);
    }
  }

  @Override
  public void close(int code, String reason) {
    synchronized (this) {
      if (closeCode >= 0) {
        return;
      }
      closeCode = code;
      closeReason = reason;
    }
    closeListener.run();
  }

  @Override
  public String describe() {
    return "recording:" + name;
  }

  /** Runs {@code listener} when the engine first closes this connection. */
  public void onClose(Runnable listener) {
    this.closeListener = Objects.requireNonNull(listener, "listener");
  }

  // ---- what was sent -----------------------------------------------------------------------

  /** A snapshot of every frame sent so far, in order. */
  public synchronized List<JsonNode> frames() {
    return List.copyOf(frames);
  }

  /** A snapshot of the frames of one {@code type}, in order. */
  public List<JsonNode> frames(String type) {
    return frames().stream().filter(f -> type.equals(f.path("type").asText())).toList();
  }

  /** How many frames arrived so far. */
  public synchronized int frameCount() {
    return frames.size();
  }

  /** The {@code message} frames of a thread, in arrival order. */
  public List<JsonNode> messages(String conversationId) {
    return frames("message").stream()
        .filter(f -> conversationId.equals(f.path("thread").asText()))
        .toList();
  }

  /** The seqs of the {@code message} frames of a thread, in arrival order. */
  public List<Long> seqs(String conversationId) {
    return messages(conversationId).stream().map(f -> f.path("seq").asLong()).toList();
  }

  /** Forgets the frames received so far (the close state stays). */
  public synchronized void clear() {
    frames.clear();
  }

  // ---- waiting -----------------------------------------------------------------------------

  /** Waits for the first frame of {@code type} and returns it. */
  public JsonNode awaitFrame(String type) {
    return awaitFrame(type, f -> true);
  }

  /** Waits for the first frame of {@code type} that matches {@code condition} and returns it. */
  public JsonNode awaitFrame(String type, Predicate<JsonNode> condition) {
    return await("a '" + type + "' frame on " + name).atMost(TIMEOUT)
        .until(() -> first(type, condition), Optional::isPresent)
        .orElseThrow();
  }

  /** Waits for the answer to the frame with this {@code id} (an ack, error, pong, synced...). */
  public JsonNode awaitReply(String id) {
    return await("a reply with id '" + id + "' on " + name).atMost(TIMEOUT)
        .until(() -> frames().stream().filter(f -> id.equals(f.path("id").asText(null))).findFirst(),
            Optional::isPresent)
        .orElseThrow();
  }

  /** Waits until at least {@code count} frames of {@code type} arrived; returns all of them. */
  public List<JsonNode> awaitFrames(String type, int count) {
    return await(count + " '" + type + "' frames on " + name).atMost(TIMEOUT)
        .until(() -> frames(type), list -> list.size() >= count);
  }

  /** Waits until at least {@code count} message frames of a thread arrived; returns their seqs. */
  public List<Long> awaitSeqs(String conversationId, int count) {
    return await(count + " messages of " + conversationId + " on " + name).atMost(TIMEOUT)
        .until(() -> seqs(conversationId), list -> list.size() >= count);
  }

  /**
   * Watches for {@link #QUIET} and fails if a frame of {@code type} arrives (or was already
   * there). Use it after a positive wait that makes the frame due, so the window is meaningful.
   */
  public void assertNoFrame(String type) {
    await("no '" + type + "' frame on " + name).during(QUIET).atMost(QUIET.plusSeconds(5))
        .until(() -> frames(type).isEmpty());
  }

  /**
   * Watches for {@link #QUIET} and fails unless exactly {@code count} frames of {@code type} are
   * there the whole time: nothing more arrives (and nothing was missing).
   */
  public void assertFrameCountStays(String type, int count) {
    await(count + " '" + type + "' frames, no more, on " + name).during(QUIET)
        .atMost(QUIET.plusSeconds(5))
        .until(() -> frames(type).size() == count);
  }

  /** Waits until the engine closed the connection and returns the close code. */
  public int awaitClosed() {
    await(name + " closed").atMost(TIMEOUT).until(this::isClosed);
    return closeCode();
  }

  public synchronized boolean isClosed() {
    return closeCode >= 0;
  }

  /** The close code, or -1 while open. */
  public synchronized int closeCode() {
    return closeCode;
  }

  /** The close reason, or null while open. */
  public synchronized String closeReason() {
    return closeReason;
  }

  private Optional<JsonNode> first(String type, Predicate<JsonNode> condition) {
    return frames().stream()
        .filter(f -> type.equals(f.path("type").asText()))
        .filter(condition)
        .findFirst();
  }

  @Override
  public String toString() {
    return describe();
  }
}
