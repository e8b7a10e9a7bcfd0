package dev.parley.server.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * The container files under deploy/, tested without a container runtime (none can run here):
 * the compose file parses and describes the two-node cluster, the Dockerfile keeps its promises,
 * and the image's entrypoint and healthcheck scripts start, probe and stop the real server jar.
 */
class DeployFilesIT {
  private static final Path DEPLOY = Path.of("../deploy");
  private static final Path JAR = Path.of("target/chat-server.jar");

  @Test
  @SuppressWarnings("unchecked")
  void composeDescribesTwoNodesBehindAProxyOnPostgresAndRedis() throws IOException {
    Map<String, Object> compose = new Yaml().load(Files.readString(DEPLOY.resolve("compose.yaml")));
    Map<String, Map<String, Object>> services = (Map<String, Map<String, Object>>) compose.get("services");
    assertThat(services).containsOnlyKeys("postgres", "redis", "node-a", "node-b", "proxy");

    Map<String, Object> a = (Map<String, Object>) services.get("node-a").get("environment");
    Map<String, Object> b = (Map<String, Object>) services.get("node-b").get("environment");
    for (Map<String, Object> env : List.of(a, b)) {
      assertThat((String) env.get("CHAT_DB_URL")).startsWith("jdbc:postgresql://postgres:5432/");
      assertThat(env.get("CHAT_REDIS_URL")).isEqualTo("redis://redis:6379");
      assertThat((String) env.get("CHAT_JWT_SECRET")).startsWith("${CHAT_JWT_SECRET:?");
      // any node serves any attachment: the bytes are in the shared database, not on a node's disk
      assertThat(env.get("CHAT_ATTACHMENTS")).isEqualTo("database");
    }
    assertThat(a.get("CHAT_NODE_ID")).isNotEqualTo(b.get("CHAT_NODE_ID"));
    for (String node : List.of("node-a", "node-b")) {
      Map<String, Object> build = (Map<String, Object>) services.get(node).get("build");
      assertThat(build.get("dockerfile")).isEqualTo("deploy/Dockerfile");
      assertThat(Files.exists(DEPLOY.resolve((String) build.get("context")).resolve("deploy/Dockerfile"))).isTrue();
      assertThat((Map<String, Object>) build.get("args")).containsKeys("JDK_IMAGE", "RUNTIME_IMAGE");
    }
    // no data volume is shared: each node has its own /data
    assertThat((List<String>) services.get("node-a").get("volumes")).containsExactly("node-a-data:/data");
    assertThat((List<String>) services.get("node-b").get("volumes")).containsExactly("node-b-data:/data");
    assertThat((Map<String, Object>) compose.get("volumes")).containsOnlyKeys("postgres-data", "node-a-data", "node-b-data");
    for (String service : List.of("postgres", "redis", "proxy")) {
      assertThat((String) services.get(service).get("image"))
          .as("every image can be replaced from the environment").startsWith("${");
    }
    assertThat((List<String>) services.get("proxy").get("volumes")).contains("./nginx.conf:/etc/nginx/conf.d/default.conf:ro");
  }

  @Test
  void proxyBalancesBothNodesAndPassesWebSocketUpgrades() throws IOException {
    String nginx = Files.readString(DEPLOY.resolve("nginx.conf"));
    assertThat(nginx).contains("server node-a:8080", "server node-b:8080",
        "proxy_set_header Upgrade $http_upgrade", "proxy_set_header Connection $connection_upgrade",
        "proxy_http_version 1.1", "X-Forwarded-For");
  }

  @Test
  void dockerfileBuildsFromArgumentBasesAndRunsUnprivileged() throws IOException {
    String dockerfile = Files.readString(DEPLOY.resolve("Dockerfile"));
    assertThat(dockerfile).contains("ARG JDK_IMAGE=", "ARG RUNTIME_IMAGE=",
        "FROM ${JDK_IMAGE} AS build", "FROM ${RUNTIME_IMAGE}", "VOLUME [\"/data\"]",
        "HEALTHCHECK", "/opt/parley/healthcheck.sh", "ENTRYPOINT [\"/opt/parley/docker-entrypoint.sh\"]",
        "COPY chat-server/target/chat-server.jar");
    assertThat(dockerfile).doesNotContainPattern("(?m)^RUN .*\\bmvn\\b");
    Matcher user = Pattern.compile("(?m)^USER (\\d+)").matcher(dockerfile);
    assertThat(user.find()).as("a numeric USER").isTrue();
    assertThat(Integer.parseInt(user.group(1))).isPositive();
    Matcher copy = Pattern.compile("(?m)^COPY (?!--from)(.+) (\\S+)$").matcher(dockerfile);
    while (copy.find()) {
      for (String source : copy.group(1).trim().split("\\s+")) {
        if (!source.startsWith("chat-server/target/")) {
          assertThat(Path.of("..").resolve(source)).as("COPY source " + source).exists();
        }
      }
    }
  }

  @Test
  void entrypointStartsTheServerTheHealthcheckSeesItAndSigtermStopsItCleanly(@TempDir Path data)
      throws Exception {
    assertThat(JAR).as("the runnable jar (mvn package)").exists();
    int port = freePort();
    ProcessBuilder pb = new ProcessBuilder("bash", DEPLOY.resolve("docker-entrypoint.sh").toString(),
        "--host", "127.0.0.1")
        .redirectErrorStream(true)
        .redirectOutput(data.resolve("server.log").toFile());
    Map<String, String> env = pb.environment();
    env.keySet().removeIf(k -> k.startsWith("CHAT_"));
    env.put("PARLEY_JAR", JAR.toString());
    env.put("JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
    env.put("CHAT_PORT", String.valueOf(port));
    env.put("CHAT_DATA_DIR", data.toString());
    env.put("JAVA_OPTS", "-Xmx256m");
    Process server = pb.start();
    try {
      await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
          .until(() -> healthcheck(port) == 0 || !server.isAlive());
      assertThat(server.isAlive()).as(Files.readString(data.resolve("server.log"))).isTrue();
      // the defaults reached the JVM, and the JVM is the process itself (exec), not a child of bash
      assertThat(server.info().commandLine().orElse("")).contains("-XX:MaxRAMPercentage=75.0", "-Xmx256m", "-jar");
      server.destroy(); // SIGTERM, as a container runtime's stop
      assertThat(server.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(server.exitValue()).as(Files.readString(data.resolve("server.log"))).isZero();
    } finally {
      server.destroyForcibly();
    }
    assertThat(healthcheck(port)).as("nothing listens any more").isNotZero();
  }

  @Test
  void entrypointRefusesAMissingJar() throws Exception {
    ProcessBuilder pb = new ProcessBuilder("bash", DEPLOY.resolve("docker-entrypoint.sh").toString())
        .redirectErrorStream(true);
    pb.environment().put("PARLEY_JAR", "no/such.jar");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isEqualTo(64);
    assertThat(out).contains("no runnable jar at no/such.jar");
  }

  @Test
  void scriptsRunByHandAreValidBash() throws Exception {
    // they need root, podman and the Debian mirror, so they are run by hand (docs/deploy.md);
    // here at least they must parse
    for (String script : List.of("podman-smoke.sh", "debian-standins/postgres-entrypoint.sh",
        "debian-standins/redis-entrypoint.sh")) {
      Process p = new ProcessBuilder("bash", "-n", DEPLOY.resolve(script).toString())
          .redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as(script + ": " + out).isZero();
    }
  }

  private static int healthcheck(int port) throws Exception {
    ProcessBuilder pb = new ProcessBuilder("bash", DEPLOY.resolve("healthcheck.sh").toString())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD);
    pb.environment().put("CHAT_PORT", String.valueOf(port));
    Process p = pb.start();
    if (!p.waitFor(10, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return -1;
    }
    return p.exitValue();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
