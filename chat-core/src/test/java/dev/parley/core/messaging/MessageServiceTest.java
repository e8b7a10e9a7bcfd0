package dev.parley.core.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.core.store.AppendResult;
import dev.parley.core.testing.EngineFixture;
import dev.parley.core.testing.TestClient;
import dev.parley.core.testing.TestUser;
import dev.parley.protocol.ChatException;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.model.ChatThread;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The host application's way in: {@link MessageService} without a WebSocket. */
class MessageServiceTest {
  private EngineFixture f;
  private MessageService messages;

  @BeforeEach
  void setUp() {
    f = EngineFixture.create(c -> c.rateLimit(0).bodyLimitBytes(10));
    messages = f.engine().messages();
  }

  @AfterEach
  void tearDown() {
    f.close();
  }

  private static CompletableFuture<AppendResult> callback(SendCallbackHolder h) {
    return h.future;
  }

  private static final class SendCallbackHolder implements SendCallback {
    final CompletableFuture<AppendResult> future = new CompletableFuture<>();

    @Override
    public void stored(AppendResult result) {
      future.complete(result);
    }

    @Override
    public void failed(ChatException error) {
      future.completeExceptionally(error);
    }
  }

  @Test
  void aHostSendIsStoredThenDeliveredLive() throws Exception {
    TestUser alice = f.register("alice");
    TestUser bob = f.register("bob");
    ChatThread t = f.group(alice, bob);
    TestClient b = f.connect(bob);

    SendCallbackHolder h = new SendCallbackHolder();
    messages.send(alice.id(), t.id(), "from host", "h-1", List.of(), h);

    AppendResult r = callback(h).get(10, TimeUnit.SECONDS);
    assertThat(r.duplicate()).isFalse();
    assertThat(r.message().seq()).isEqualTo(1);
    assertThat(r.message().clientId()).isEqualTo("h-1");
    assertThat(b.connection().awaitFrame("message").path("body").asText()).isEqualTo("from host");
  }

  @Test
  void checksTheBodyAgainstTheConfiguredLimitInBytes() {
    messages.checkBody("0123456789");
    messages.checkBody("ééééé");
    assertThatThrownBy(() -> messages.checkBody("ééééé1")).isInstanceOf(ChatException.class)
        .extracting(e -> ((ChatException) e).code()).isEqualTo(ErrorCode.TOO_LARGE);
    assertThatThrownBy(() -> messages.checkBody("")).isInstanceOf(ChatException.class)
        .extracting(e -> ((ChatException) e).code()).isEqualTo(ErrorCode.BAD_REQUEST);
    assertThatThrownBy(() -> messages.checkBody(null)).isInstanceOf(ChatException.class)
        .extracting(e -> ((ChatException) e).code()).isEqualTo(ErrorCode.BAD_REQUEST);
  }

  @Test
  void refusesAnEmptyOrOverlongClientId() {
    TestUser alice = f.register("alice");
    ChatThread t = f.group(alice);

    assertThatThrownBy(() -> messages.send(alice.id(), t.id(), "x", "", List.of(), new SendCallbackHolder()))
        .isInstanceOf(ChatException.class);
    assertThatThrownBy(() -> messages.send(alice.id(), t.id(), "x", "c".repeat(129), List.of(),
        new SendCallbackHolder())).isInstanceOf(ChatException.class);
  }

  @Test
  void utf8LengthMatchesTheJdkEncoder() {
    for (String s : List.of("", "abc", "é€😀", "a\uD800b", "\uDC00", "x😀\uD83D")) {
      assertThat(Utf8.length(s)).as(s).isEqualTo(s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
    }
  }
}
