package dev.parley.bench.load;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code chat-bench}: the load generator's command line. {@code load} runs a message scenario,
 * {@code capacity} ramps idle connections. Both print a summary and, with {@code --json}, write
 * the report as JSON.
 */
@Command(name = "chat-bench", mixinStandardHelpOptions = true,
    description = "Load generator for Parley (or anything speaking its frames).",
    subcommands = {ChatBench.Load.class, ChatBench.Capacity.class})
public final class ChatBench implements Runnable {

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  public static void main(String[] args) {
    // Netty samples one buffer in 128 for leak tracking by default, with a stack trace each:
    // a load generator's buffers are Netty's own (none are kept), and its CPU is the budget
    if (System.getProperty("io.netty.leakDetection.level") == null) {
      System.setProperty("io.netty.leakDetection.level", "disabled");
    }
    System.exit(new CommandLine(new ChatBench()).execute(args));
  }

  static void writeJson(Path file, Object report) throws IOException {
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), report);
  }

  /** Options both modes share. */
  static class Common {
    @Option(names = "--url", defaultValue = "http://127.0.0.1:8080", split = ",",
        description = "Server base URL (default: ${DEFAULT-VALUE}); load: several, comma-separated,"
            + " for nodes of one cluster (connection i goes to URL i %% n)")
    List<URI> urls;

    @Option(names = "--spread-sources",
        description = "Bind connection i to 127.0.0.(1+i%%250): more than ~28k connections to one server")
    boolean spreadSources;

    @Option(names = "--server-pid", defaultValue = "0",
        description = "Server process id: report its RSS (VmRSS) and CPU time")
    long serverPid;

    @Option(names = "--event-loops", defaultValue = "2",
        description = "Client event loop threads (default: ${DEFAULT-VALUE})")
    int eventLoops;

    @Option(names = "--user-prefix", description = "Prefix of registered user names (default: unique per run)")
    String userPrefix;

    @Option(names = "--password", defaultValue = "bench-password",
        description = "Password of the registered users (default: ${DEFAULT-VALUE})")
    String password;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the report as JSON")
    Path json;

    String prefix() {
      return userPrefix != null ? userPrefix
          : "b" + Long.toString(System.currentTimeMillis() % 1_000_000_000L, 36);
    }
  }

  @Command(name = "load", mixinStandardHelpOptions = true,
      description = "Users in groups send messages; measures throughput, ack and delivery latency, loss.")
  static final class Load extends Common implements Callable<Integer> {
    @Option(names = {"-c", "--connections"}, defaultValue = "100", description = "Connections, one user each (default: ${DEFAULT-VALUE})")
    int connections;

    @Option(names = {"-g", "--group-size"}, defaultValue = "10", description = "Members per group (default: ${DEFAULT-VALUE})")
    int groupSize;

    @Option(names = {"-s", "--senders"}, defaultValue = "10", description = "Sending connections (default: ${DEFAULT-VALUE})")
    int senders;

    @Option(names = {"-d", "--duration"}, defaultValue = "10", description = "Measured seconds (default: ${DEFAULT-VALUE})")
    int duration;

    @Option(names = "--warmup", defaultValue = "2", description = "Unmeasured seconds first (default: ${DEFAULT-VALUE})")
    int warmup;

    @Option(names = {"-r", "--rate"}, defaultValue = "0",
        description = "Total messages per second, latencies from the intended send time; 0 = flat out (default: ${DEFAULT-VALUE})")
    double rate;

    @Option(names = {"-w", "--window"}, defaultValue = "16", description = "Flat out: unacked messages per sender (default: ${DEFAULT-VALUE})")
    int window;

    @Option(names = {"-b", "--body"}, defaultValue = "100", description = "Body bytes (default: ${DEFAULT-VALUE})")
    int body;

    @Option(names = "--drain", defaultValue = "10", description = "Seconds to wait for outstanding acks and deliveries (default: ${DEFAULT-VALUE})")
    int drain;

    @Option(names = "--timeline", paramLabel = "FILE",
        description = "Also write the deliveries and the worst delivery latency per 10 ms of the window")
    Path timeline;

    @Override
    public Integer call() throws IOException {
      LoadReport report = LoadGenerator.run(LoadOptions.builder(urls.get(0)).urls(urls)
          .connections(connections)
          .groupSize(groupSize).senders(senders).durationSeconds(duration).warmupSeconds(warmup)
          .rate(rate).window(window).bodyBytes(body).spreadSources(spreadSources)
          .serverPid(serverPid).eventLoops(eventLoops).drainSeconds(drain).userPrefix(prefix())
          .password(password).timeline(timeline).build());
      System.out.print(report.human());
      if (json != null) {
        writeJson(json, report);
      }
      return report.lossFree() ? 0 : 2;
    }
  }

  @Command(name = "capacity", mixinStandardHelpOptions = true,
      description = "Ramps idle authenticated connections; measures handshakes/s and server RSS per connection.")
  static final class Capacity extends Common implements Callable<Integer> {
    @Option(names = {"-c", "--connections"}, defaultValue = "10000", description = "Target connections (default: ${DEFAULT-VALUE})")
    int connections;

    @Option(names = "--users", defaultValue = "100", description = "Registered users the connections share (default: ${DEFAULT-VALUE})")
    int users;

    @Option(names = "--in-flight", defaultValue = "128", description = "Most pending handshakes (default: ${DEFAULT-VALUE})")
    int inFlight;

    @Option(names = "--hold", defaultValue = "3", description = "Seconds to hold before reading RSS (default: ${DEFAULT-VALUE})")
    int hold;

    @Option(names = "--release-file", paramLabel = "FILE",
        description = "End the hold as soon as this file exists (at most --hold seconds)")
    Path releaseFile;

    @Override
    public Integer call() throws IOException {
      if (urls.size() != 1) {
        throw new CommandLine.ParameterException(new CommandLine(this),
            "capacity takes one --url (run one capacity per node)");
      }
      CapacityRun.Report report = CapacityRun.run(new CapacityRun.Options(urls.get(0), connections,
          users, inFlight, hold, spreadSources, serverPid, eventLoops, prefix(), password,
          releaseFile));
      System.out.print(report.human());
      if (json != null) {
        writeJson(json, report);
      }
      return report.failed() == 0 && report.disconnected() == 0 ? 0 : 2;
    }
  }
}
