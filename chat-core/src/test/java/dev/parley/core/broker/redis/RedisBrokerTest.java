package dev.parley.core.broker.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.awaitility.Awaitility.await;

import dev.parley.core.broker.BrokerEvent;
import dev.parley.core.broker.BrokerListener;
import dev.parley.protocol.model.Attachment;
import dev.parley.protocol.model.ChatThread;
import dev.parley.protocol.model.Message;
import dev.parley.protocol.model.User;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two or more brokers ("nodes") against a real Redis. A node's not receiving something is shown
 * with a marker: the marker is published after the event in question on a channel the node does
 * receive, so once the marker arrived the event would have arrived before it.
 */
class RedisBrokerTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final List<RedisBroker> brokers = new ArrayList<>();
  private String url;
  private String prefix;

  @BeforeEach
  void setUp() {
    prefix = TestRedis.uniquePrefix();
  }

  /** The shared Redis (the restart tests use a private one and do not need it). */
  private String url() {
    if (url == null) {
      url = TestRedis.requireShared();
    }
    return url;
  }

  @AfterEach
  void tearDown() {
    brokers.forEach(RedisBroker::close);
  }

  @Test
  void deliversThreadEventsOnlyToNodesSubscribedToTheThread() {
    RedisBroker a = node("a", prefix);
    Recorder atB = new Recorder();
    RedisBroker b = node("b", prefix, atB);
    b.subscribe("marker");
    awaitSubscribed(b, "marker");

    a.publish(message("t1", 1));
    a.publish(message("marker", 1));
    atB.awaitCount(1);
    assertThat(atB.threads()).containsExactly("marker");

    b.subscribe("t1");
    awaitSubscribed(b, "t1");
    a.publish(message("t1", 2));
    atB.awaitCount(2);
    assertThat(atB.events().get(1)).isEqualTo(message("t1", 2));

    b.unsubscribe("t1");
    a.publish(message("t1", 3));
    a.publish(message("marker", 2));
    atB.awaitCount(3);
    assertThat(atB.events()).containsExactly(message("marker", 1), message("t1", 2), message("marker", 2));
  }

  @Test
  void deliversOwnEventsToOwnListenerExactlyOnce() {
    Recorder atA = new Recorder();
    RedisBroker a = node("a", prefix, atA);
    Recorder atB = new Recorder();
    RedisBroker b = node("b", prefix, atB);
    a.subscribe("t1");
    b.subscribe("t1");
    awaitSubscribed(a, "t1");
    awaitSubscribed(b, "t1");

    a.publish(message("t1", 1));
    assertThat(atA.events()).containsExactly(message("t1", 1)); // at once, not via Redis
    atB.awaitCount(1); // Redis has relayed it to every subscriber, A included
    b.publish(message("t1", 2));
    atA.awaitCount(2);
    assertThat(atA.events()).containsExactly(message("t1", 1), message("t1", 2));
    assertThat(atB.events()).containsExactly(message("t1", 1), message("t1", 2));
  }

  @Test
  void keepsTheOrderOfOneThreadsEventsFromOneNode() {
    RedisBroker a = node("a", prefix);
    Recorder atB = new Recorder();
    RedisBroker b = node("b", prefix, atB);
    b.subscribe("t1");
    awaitSubscribed(b, "t1");

    for (int seq = 1; seq <= 1000; seq++) {
      a.publish(message("t1", seq));
      if (seq % 100 == 0) {
        a.publish(new BrokerEvent.Typing("t1", "u" + seq));
      }
    }
    atB.awaitCount(1010);
    List<Long> seqs = new ArrayList<>();
    for (BrokerEvent e : atB.events()) {
      if (e instanceof BrokerEvent.MessageStored m) {
        seqs.add(m.message().seq());
      }
    }
    assertThat(seqs).hasSize(1000).isSorted().doesNotHaveDuplicates();
    assertThat(atB.events().get(100)).isEqualTo(new BrokerEvent.Typing("t1", "u100"));
  }

  @Test
  void carriesEveryEventTypeIntact() {
    RedisBroker a = node("a", prefix);
    Recorder atB = new Recorder();
    RedisBroker b = node("b", prefix, atB);
    b.subscribe("t1");
    awaitSubscribed(b, "t1");

    Message withAttachment = new Message("m9", "t1", 9, "u1", "caf\u00e9 \uD83D\uDE00 \"quoted\"\n", 1234L,
        "client-9", List.of(new Attachment("f1", "image/png", 2048, "cat.png"),
            new Attachment("f2", "application/octet-stream", 1, null)));
    List<BrokerEvent> sent = List.of(
        new BrokerEvent.MessageStored(withAttachment),
        new BrokerEvent.Typing("t1", "u2"),
        new BrokerEvent.Read("t1", "u2", 9, "conn-1"),
        new BrokerEvent.Read("t1", "u2", 10, null));
    sent.forEach(a::publish);
    atB.awaitCount(sent.size());
    assertThat(atB.events()).containsExactlyElementsOf(sent);
  }

  @Test
  void deliversControlEventsToEveryNodeWithoutSubscription() {
    RedisBroker a = node("a", prefix);
    Recorder atB = new Recorder();
    node("b", prefix, atB);
    Recorder atC = new Recorder();
    node("c", prefix, atC);
    awaitListening(brokers);

    ChatThread group = new ChatThread("t7", ChatThread.GROUP, "Team", "u1",
        List.of(new User("u1", "ann", "Ann"), new User("u2", "bob", null)), 100L, 4L);
    ChatThread direct = new ChatThread("t8", ChatThread.DIRECT, null, "u1",
        List.of(new User("u1", "ann", "Ann"), new User("u3", "cy", "Cy")), 200L, 0L);
    List<BrokerEvent> sent = List.of(
        new BrokerEvent.MemberAdded("t7", "u2", group),
        new BrokerEvent.MemberAdded("t8", "u3", direct),
        new BrokerEvent.Presence("u1", true, List.of("t7", "t8")),
        new BrokerEvent.Presence("u1", false, List.of()),
        new BrokerEvent.MemberRemoved("t7", "u2"),
        new BrokerEvent.UserDisabled("u3"));
    sent.forEach(a::publish);

    atB.awaitCount(sent.size());
    atC.awaitCount(sent.size());
    assertThat(atB.events()).containsExactlyElementsOf(sent);
    assertThat(atC.events()).containsExactlyElementsOf(sent);
  }

  @Test
  void isolatesClustersWithDifferentPrefixes() {
    RedisBroker a = node("a", prefix);
    Recorder atB = new Recorder();
    RedisBroker b = node("b", prefix, atB);
    String otherPrefix = TestRedis.uniquePrefix();
    Recorder atC = new Recorder();
    RedisBroker c = node("c", otherPrefix, atC);
    RedisBroker d = node("d", otherPrefix);
    b.subscribe("t1");
    c.subscribe("t1");
    awaitSubscribed(b, "t1");
    awaitSubscribed(c, "t1");
    awaitListening(brokers);

    a.publish(message("t1", 1));
    a.publish(new BrokerEvent.UserDisabled("u1"));
    atB.awaitCount(2); // both went through Redis before the marker below is published
    d.publish(message("t1", 99));
    atC.awaitCount(1);
    assertThat(atC.events()).containsExactly(message("t1", 99));
    assertThat(atB.events()).containsExactly(message("t1", 1), new BrokerEvent.UserDisabled("u1"));
  }

  @Test
  void isUnhealthyAgainstAClosedPortAndStillDeliversLocally() {
    Recorder local = new Recorder();
    RedisBroker broker = node("down", prefix, local, "redis://127.0.0.1:" + TestRedis.freePort());
    broker.subscribe("t1");

    assertThatCode(() -> {
      for (int seq = 1; seq <= 50; seq++) {
        broker.publish(message("t1", seq));
      }
    }).doesNotThrowAnyException();
    assertThat(local.events()).hasSize(50);
    await().during(Duration.ofMillis(700)).atMost(Duration.ofSeconds(3))
        .until(() -> !broker.isHealthy());
  }

  @Test
  void becomesHealthyWhenConnected() {
    RedisBroker a = node("a", prefix);
    await().atMost(WAIT).until(a::isHealthy);
  }

  @Test
  void closeStopsItsThreadsAndIsIdempotent() {
    RedisBroker a = node("closing", prefix);
    RedisBroker down = node("closing-down", prefix, new Recorder(),
        "redis://127.0.0.1:" + TestRedis.freePort());
    await().atMost(WAIT).until(a::isHealthy);
    a.subscribe("t1");
    a.close();
    a.close();
    down.close();
    assertThat(Thread.getAllStackTraces().keySet())
        .noneMatch(t -> t.getName().startsWith("parley-redis-") && t.getName().contains("closing"));
    assertThat(a.isHealthy()).isFalse();
    assertThatCode(() -> a.publish(message("t1", 1))).doesNotThrowAnyException();
  }

  @Test
  void resubscribesAndReceivesAgainAfterRedisRestarts() {
    String binary = TestRedis.requireRedisServerBinary();
    try (PrivateRedis redis = new PrivateRedis(binary)) {
      redis.start();
      Recorder atA = new Recorder();
      RedisBroker a = node("a", prefix, atA, redis.url());
      Recorder atB = new Recorder();
      RedisBroker b = node("b", prefix, atB, redis.url());
      b.subscribe("t1");
      awaitSubscribed(b, "t1");
      await().atMost(WAIT).until(() -> a.isHealthy() && b.isHealthy());
      a.publish(message("t1", 1));
      atB.awaitCount(1);

      redis.kill();
      await().atMost(WAIT).until(() -> !b.isHealthy());
      a.publish(message("t1", 2)); // lost for B (B would catch up with sync), but local to A
      b.subscribe("t2"); // wanted while Redis is down
      assertThat(atA.events()).containsExactly(message("t1", 1), message("t1", 2));
      await().atMost(WAIT).until(() -> !a.isHealthy());

      redis.start();
      await().atMost(WAIT).until(() -> b.isHealthy() && b.isSubscribed("t1") && b.isSubscribed("t2"));
      await().atMost(WAIT).until(a::isHealthy);
      a.publish(message("t1", 3));
      a.publish(message("t2", 1));
      atB.awaitCount(3);
      assertThat(atB.events()).containsExactly(message("t1", 1), message("t1", 3), message("t2", 1));
      a.close();
      b.close();
    }
  }

  @Test
  void dropsAndReplacesAConnectionToAServerThatStoppedAnswering() {
    String binary = TestRedis.requireRedisServerBinary();
    try (PrivateRedis redis = new PrivateRedis(binary)) {
      redis.start();
      RedisBroker a = node("a", prefix, new Recorder(), redis.url());
      Recorder atB = new Recorder();
      RedisBroker b = RedisBroker.connect(TestRedis.options(redis.url(), prefix, "b")
          .pingInterval(Duration.ofMillis(200)).build());
      b.start(atB);
      brokers.add(b);
      b.subscribe("t1");
      awaitSubscribed(b, "t1");
      await().atMost(WAIT).until(() -> a.isHealthy() && b.isHealthy());

      redis.pause();
      await().atMost(WAIT).until(() -> !b.isHealthy());
      redis.resume();
      await().atMost(WAIT).until(() -> b.isHealthy() && b.isSubscribed("t1") && a.isHealthy());
      assertThat(b.subscriberConnections()).isGreaterThan(1);
      a.publish(message("t1", 1));
      atB.awaitCount(1);
      a.close();
      b.close();
    }
  }

  @Test
  void keepsAQuietConnectionThatAnswersPings() {
    Recorder atB = new Recorder();
    RedisBroker b = RedisBroker.connect(TestRedis.options(url(), prefix, "b")
        .pingInterval(Duration.ofMillis(100)).build());
    b.start(atB);
    brokers.add(b);
    RedisBroker a = node("a", prefix);
    await().atMost(WAIT).until(b::isHealthy);

    await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3))
        .until(() -> b.isHealthy() && b.subscriberConnections() == 1);
    a.publish(new BrokerEvent.UserDisabled("u1"));
    atB.awaitCount(1);
    assertThat(b.subscriberConnections()).isEqualTo(1);
  }

  // ------------------------------------------------------------------ helpers

  private RedisBroker node(String name, String keyPrefix) {
    return node(name, keyPrefix, new Recorder());
  }

  private RedisBroker node(String name, String keyPrefix, BrokerListener listener) {
    return node(name, keyPrefix, listener, url());
  }

  private RedisBroker node(String name, String keyPrefix, BrokerListener listener, String redisUrl) {
    RedisBroker broker = RedisBroker.connect(TestRedis.options(redisUrl, keyPrefix, name).build());
    broker.start(listener);
    brokers.add(broker);
    return broker;
  }

  private static void awaitSubscribed(RedisBroker broker, String conversationId) {
    await("subscription to " + conversationId).atMost(WAIT).until(() -> broker.isSubscribed(conversationId));
  }

  private static void awaitListening(List<RedisBroker> nodes) {
    await("control channel").atMost(WAIT).until(() -> nodes.stream().allMatch(RedisBroker::isListening));
  }

  private static BrokerEvent message(String thread, long seq) {
    return new BrokerEvent.MessageStored(
        new Message(thread + "-m" + seq, thread, seq, "u1", "hello " + seq, 1_700_000_000_000L + seq,
            null, List.of()));
  }

  /** Records what a node's listener was given. */
  private static final class Recorder implements BrokerListener {
    private final List<BrokerEvent> events = new CopyOnWriteArrayList<>();

    @Override
    public void onEvent(BrokerEvent event) {
      events.add(event);
    }

    List<BrokerEvent> events() {
      return List.copyOf(events);
    }

    List<String> threads() {
      List<String> out = new ArrayList<>();
      for (BrokerEvent e : events) {
        out.add(e.thread());
      }
      return out;
    }

    void awaitCount(int n) {
      await("%d events".formatted(n)).atMost(WAIT).until(() -> events.size() >= n);
    }
  }
}
