package dev.parley.bench.jmh;

import dev.parley.core.auth.AuthenticatedUser;
import dev.parley.core.broker.Broker;
import dev.parley.core.broker.BrokerEvent;
import dev.parley.core.broker.InMemoryBroker;
import dev.parley.core.internal.registry.ConnectionRegistry;
import dev.parley.core.session.Connection;
import dev.parley.protocol.frame.FrameCodec;
import dev.parley.protocol.frame.MessageFrame;
import dev.parley.protocol.model.Message;
import dev.parley.protocol.model.User;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Fan-out of one stored message to every local member of its thread: a
 * {@link BrokerEvent.MessageStored} published through the engine's {@link InMemoryBroker} reaches
 * the real {@code LiveDelivery}, which encodes it once and walks the real
 * {@link ConnectionRegistry} into each member's session (its per-connection ordering lock
 * included) and a counting {@link Connection}. Baseline: the same number of
 * {@link Connection#send} calls with a pre-encoded array, i.e. the cost of the loop alone.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class FanOutBenchmark {
  private static final String THREAD = "t_fanout";

  @Param({"1", "10", "100", "10000"})
  int recipients;

  private BenchEngine fixture;
  private Broker broker;
  private final List<CountingConnection> connections = new ArrayList<>();
  private byte[] preEncoded;
  private long seq;

  @Setup(Level.Trial)
  public void setUp() {
    fixture = new BenchEngine(512);
    broker = fixture.engine().broker();
    long far = System.currentTimeMillis() + 3_600_000;
    for (int i = 0; i < recipients; i++) {
      String userId = "u_" + i;
      CountingConnection c = new CountingConnection();
      connections.add(c);
      User user = new User(userId, "user" + i, "User " + i);
      // each arrival's presence event reaches the members before it (the in-memory broker
      // delivers on this thread): setup work only, the counters are reset below
      fixture.engine().sessions().open(new AuthenticatedUser(user, far), List.of(THREAD), c);
    }
    if (fixture.engine().connectionCount() != recipients) {
      throw new IllegalStateException("the engine does not hold " + recipients + " connections");
    }
    preEncoded = new FrameCodec().encode(new MessageFrame(message(1)));
    connections.forEach(CountingConnection::reset);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    // every member must have had every message, or the benchmark measured something else
    for (CountingConnection c : connections) {
      if (c.frames() == 0) {
        throw new IllegalStateException("a member received nothing");
      }
    }
    fixture.close();
  }

  private static Message message(long seq) {
    return new Message("m_" + seq, THREAD, seq, "u_0", "hello everyone, this is a message of about"
        + " a hundred bytes of body text!!!!", 1_760_000_000_000L, null, List.of());
  }

  @Benchmark
  public void fanOut() {
    broker.publish(new BrokerEvent.MessageStored(message(++seq)));
  }

  @Benchmark
  public void fanOutBaselineSendLoop() {
    byte[] encoded = preEncoded;
    List<CountingConnection> cs = connections;
    for (int i = 0, n = cs.size(); i < n; i++) {
      cs.get(i).send(encoded);
    }
  }
}
