package dev.parley.server.cluster;

import dev.parley.server.testing.ServerProcess;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A {@link Cluster} on the shared test Redis whose nodes start once before a test class and stop
 * after it: {@code @RegisterExtension static final ClusterNodes cluster = ClusterNodes.of(2);}
 */
final class ClusterNodes implements BeforeAllCallback, AfterAllCallback {
  private final int count;
  private final String[] extraArgs;
  private Cluster cluster;
  private List<ServerProcess> nodes;

  private ClusterNodes(int count, String[] extraArgs) {
    this.count = count;
    this.extraArgs = extraArgs;
  }

  /** {@code count} nodes, each started with {@code extraArgs} too (see {@link Cluster#start(int, String...)}). */
  static ClusterNodes of(int count, String... extraArgs) {
    return new ClusterNodes(count, extraArgs);
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    cluster = Cluster.onSharedRedis(); // fails under CI=true, skips otherwise without Redis/PostgreSQL
    nodes = cluster.start(count, extraArgs);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (cluster != null) {
      cluster.close();
    }
  }

  /** The node started {@code index}-th (0 is node-a). */
  ServerProcess node(int index) {
    return nodes.get(index);
  }

  /** The nodes started for the class, in order. */
  List<ServerProcess> nodes() {
    return nodes;
  }

  /** Starts more nodes of the same cluster, for one test's own use. */
  List<ServerProcess> start(int more) {
    return cluster.start(more);
  }

  String prefix() {
    return cluster.prefix();
  }

  /** The JDBC URL of the cluster's PostgreSQL schema. */
  String dbUrl() {
    return cluster.dbUrl();
  }

  Set<String> keys() {
    return cluster.keys();
  }
}
