package dev.parley.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.client.SendAck;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class OutboxTest {
  private static Outbox.Pending pending(String clientId) {
    return new Outbox.Pending("t", "b", clientId, List.of(), null, new CompletableFuture<SendAck>());
  }

  @Test
  void sendsOneAtATimeOldestFirst() {
    Outbox box = new Outbox();
    box.add(pending("c1"));
    box.add(pending("c2"));

    assertThat(box.nextToSend().clientId()).isEqualTo("c1");
    assertThat(box.nextToSend()).as("c1 is on the wire").isNull();
    assertThat(box.inFlight("c2")).isNull();
    assertThat(box.inFlight("c1")).isNotNull();

    box.complete();
    assertThat(box.nextToSend().clientId()).isEqualTo("c2");
  }

  @Test
  void aResendRepeatsTheHeadWithItsClientId() {
    Outbox box = new Outbox();
    box.add(pending("c1"));
    box.add(pending("c2"));
    box.nextToSend();

    box.resend();

    assertThat(box.inFlight("c1")).as("not on the wire after a drop").isNull();
    assertThat(box.nextToSend().clientId()).isEqualTo("c1");
    assertThat(box.size()).isEqualTo(2);
  }

  @Test
  void failAllFailsEveryWaitingSend() {
    Outbox box = new Outbox();
    Outbox.Pending a = pending("c1");
    Outbox.Pending b = pending("c2");
    box.add(a);
    box.add(b);

    box.failAll(new IllegalStateException("closed"));

    assertThat(a.result()).isCompletedExceptionally();
    assertThat(b.result()).isCompletedExceptionally();
    assertThat(box.nextToSend()).isNull();
  }
}
