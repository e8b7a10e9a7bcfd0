package dev.parley.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.client.SendAck;
import dev.parley.protocol.ChatException;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.model.Message;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class FramesTest {
  @Test
  void readsAMessageFrameAsTheProtocolModel() {
    Message m = Frames.message(Frames.parse("{\"type\":\"message\",\"id\":\"m1\",\"thread\":\"t1\","
        + "\"seq\":42,\"sender\":\"u1\",\"body\":\"hi \\\"you\\\"\",\"ts\":7,\"clientId\":\"c-1\","
        + "\"attachments\":[{\"id\":\"a1\",\"contentType\":\"image/png\",\"size\":3,\"filename\":\"x.png\"}],"
        + "\"replyTo\":40,\"future\":\"ignored\"}"));

    assertThat(m.id()).isEqualTo("m1");
    assertThat(m.seq()).isEqualTo(42);
    assertThat(m.body()).isEqualTo("hi \"you\"");
    assertThat(m.clientId()).isEqualTo("c-1");
    assertThat(m.attachments()).singleElement().satisfies(a -> assertThat(a.filename()).isEqualTo("x.png"));
    assertThat(m.replyTo()).isEqualTo(40L);
    assertThat(m.deleted()).isFalse();
    assertThat(m.isMessage()).isTrue();
  }

  @Test
  void readsADeletedMessageWithoutBody() {
    Message m = Frames.message(Frames.parse("{\"type\":\"message\",\"id\":\"m1\",\"thread\":\"t1\","
        + "\"seq\":3,\"sender\":\"u1\",\"ts\":7,\"deleted\":true}"));

    assertThat(m.deleted()).isTrue();
    assertThat(m.body()).isNull();
    assertThat(m.attachments()).isEmpty();
  }

  @Test
  void writesSendSyncAndAuthFrames() {
    Outbox.Pending p = new Outbox.Pending("t1", "line\n\"q\"", "c-9", List.of("a1"), 4L,
        new CompletableFuture<SendAck>());
    Map<String, Long> seqs = new LinkedHashMap<>();
    seqs.put("t1", 5L);
    seqs.put("t2", 0L);

    assertThat(Frames.parse(Frames.send(p))).hasToString("{\"type\":\"send\",\"id\":\"c-9\",\"thread\":\"t1\","
        + "\"body\":\"line\\n\\\"q\\\"\",\"clientId\":\"c-9\",\"attachments\":[\"a1\"],\"replyTo\":4}");
    assertThat(Frames.sync("s1", seqs))
        .isEqualTo("{\"type\":\"sync\",\"id\":\"s1\",\"threads\":{\"t1\":5,\"t2\":0}}");
    assertThat(Frames.auth("a1", "tok")).isEqualTo("{\"type\":\"auth\",\"id\":\"a1\",\"token\":\"tok\"}");
  }

  @Test
  void readsAnErrorFrameIntoItsCode() {
    ChatException e = Frames.error(Frames.parse(
        "{\"type\":\"error\",\"id\":\"r1\",\"code\":\"rate_limited\",\"message\":\"slow down\"}"));

    assertThat(e.code()).isEqualTo(ErrorCode.RATE_LIMITED);
    assertThat(e).hasMessage("slow down");
  }
}
