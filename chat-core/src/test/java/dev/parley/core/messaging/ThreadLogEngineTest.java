package dev.parley.core.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.parley.core.ChatListener;
import dev.parley.core.testing.EngineFixture;
import dev.parley.core.testing.TestUser;
import dev.parley.core.store.AppendResult;
import dev.parley.protocol.ChatException;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.model.Change;
import dev.parley.protocol.model.ChatThread;
import dev.parley.protocol.model.Message;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The embedding API of the thread log: the engine's edit, delete and react, listeners, interceptor. */
class ThreadLogEngineTest {

  @Test
  void hostChangesAreStoredAndListenersSeeThemInOrder() throws Exception {
    try (EngineFixture f = EngineFixture.create()) {
      TestUser ann = f.register("ann");
      TestUser ben = f.register("ben");
      ChatThread t = f.group(ann, ben);
      List<Message> messages = new CopyOnWriteArrayList<>();
      List<Message> changes = new CopyOnWriteArrayList<>();
      f.engine().addListener(new ChatListener() {
        @Override
        public void messageStored(Message message) {
          messages.add(message);
        }

        @Override
        public void changeStored(Message entry) {
          changes.add(entry);
        }
      });
      MessageService ms = f.engine().messages();
      Message m = ms.post(ann.id(), t.id(), "helo").get(5, TimeUnit.SECONDS);
      AppendResult edit = ms.edit(ann.id(), t.id(), m.seq(), "hello").get(5, TimeUnit.SECONDS);
      assertThat(edit.message().seq()).isEqualTo(2);
      assertThat(ms.react(ben.id(), t.id(), m.seq(), "👍", true).get(5, TimeUnit.SECONDS).changed()).isTrue();
      AppendResult again = ms.react(ben.id(), t.id(), m.seq(), "👍", true).get(5, TimeUnit.SECONDS);
      assertThat(again.changed()).isFalse();
      assertThat(again.message().seq()).isEqualTo(3);
      ms.delete(ann.id(), t.id(), m.seq()).get(5, TimeUnit.SECONDS);

      await().atMost(Duration.ofSeconds(5)).until(() -> changes.size() == 3);
      assertThat(messages).extracting(Message::seq).containsExactly(1L);
      assertThat(changes).extracting(c -> c.change().kind())
          .containsExactly(Change.Kind.EDITED, Change.Kind.REACTION, Change.Kind.DELETED);
      assertThat(changes).extracting(Message::seq).containsExactly(2L, 3L, 4L);

      assertThatThrownBy(() -> ms.edit(ann.id(), t.id(), m.seq(), "again").get(5, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .cause().isInstanceOf(ChatException.class)
          .extracting(e -> ((ChatException) e).code()).isEqualTo(ErrorCode.CONFLICT);
      assertThat(ms.history(t.id(), null, null, 10).messages().get(0).deleted()).isTrue();
    }
  }

  @Test
  void theInterceptorRefusesOrRewritesAnEditLikeASend() throws Exception {
    try (EngineFixture f = EngineFixture.builder().interceptor((sender, thread, body) -> {
      if (body.contains("forbidden word")) {
        throw ChatException.forbidden("not here");
      }
      return body.replace("darn", "d**n");
    }).start()) {
      TestUser ann = f.register("ann");
      ChatThread t = f.group(ann);
      MessageService ms = f.engine().messages();
      Message m = ms.post(ann.id(), t.id(), "hi").get(5, TimeUnit.SECONDS);
      AppendResult rewritten = ms.edit(ann.id(), t.id(), m.seq(), "darn it").get(5, TimeUnit.SECONDS);
      assertThat(rewritten.message().body()).isEqualTo("d**n it");
      assertThatThrownBy(() -> ms.edit(ann.id(), t.id(), m.seq(), "a forbidden word").get(5, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .cause().isInstanceOf(ChatException.class)
          .extracting(e -> ((ChatException) e).code()).isEqualTo(ErrorCode.FORBIDDEN);
      assertThat(ms.history(t.id(), null, null, 10).messages().get(0).body()).isEqualTo("d**n it");
      assertThat(f.store().findThread(t.id()).orElseThrow().lastSeq()).isEqualTo(2);
    }
  }
}
