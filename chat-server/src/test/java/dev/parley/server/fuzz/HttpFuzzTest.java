package dev.parley.server.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.core.ChatEngine;
import dev.parley.core.testing.EngineFixture;
import dev.parley.core.testing.TestUser;
import dev.parley.protocol.Json;
import dev.parley.protocol.model.ChatThread;
import dev.parley.server.conformance.LeakDetectionExtension;
import dev.parley.server.internal.attachments.AttachmentLinks;
import dev.parley.server.internal.http.HttpResponses;
import dev.parley.server.internal.http.HttpRouter;
import dev.parley.server.internal.http.Route;
import dev.parley.server.internal.http.StaticFiles;
import dev.parley.server.internal.metrics.ServerMetrics;
import dev.parley.server.internal.rest.AccountRoutes;
import dev.parley.server.internal.rest.AttachmentRoutes;
import dev.parley.server.internal.rest.MessageRoutes;
import dev.parley.server.internal.rest.SystemRoutes;
import dev.parley.server.internal.rest.ThreadRoutes;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.HttpServerCodec;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;

/**
 * The server's HTTP path (HttpServerCodec, the size-limited JSON aggregator and the REST router, on
 * a real engine over SQLite in a temp dir) on an
 * {@link EmbeddedChannel} fed mutated requests and random query strings. Whatever arrives, every
 * answer has a status of the contract (never 500) and, for errors, the JSON error body whose code
 * follows the status; the input buffer is always released and Netty's leak detector stays quiet.
 * The router runs its routes on the calling thread here, so each try is sequential. The upgrade's
 * token check is left out: it authenticates on the engine's worker pool and resumes on the event
 * loop, which an EmbeddedChannel that is finished at once cannot follow (its own tests cover it).
 * A request cut short may get no answer: the decoder is still waiting for the rest of it.
 */
class HttpFuzzTest {
  private static final int REQUEST_LIMIT = 4096;
  private static final Map<Integer, String> ERROR_CODES = Map.of(400, "bad_request",
      405, "bad_request", 401, "unauthorized", 403, "forbidden", 404, "not_found",
      409, "conflict", 413, "too_large", 429, "rate_limited", 503, "unavailable");
  private static final List<Integer> SUCCESS = List.of(100, 200, 201, 204, 304);
  private static final Executor SAME_THREAD = Runnable::run;

  private EngineFixture fixture;
  private HttpRouter router;
  private HttpResponses responses;
  private List<byte[]> seeds;
  private String conversationId;
  private String access;

  @BeforeProperty
  void startEngine() {
    fixture = EngineFixture.create(c -> c.workerThreads(2));
    ChatEngine engine = fixture.engine();
    TestUser alice = fixture.register("alice");
    TestUser bob = fixture.register("bob");
    ChatThread thread = fixture.group(alice, bob);
    conversationId = thread.id();
    access = alice.tokens().access();
    ServerMetrics metrics = new ServerMetrics(() -> 0);
    responses = new HttpResponses(metrics);
    List<Route> routes = new ArrayList<>();
    routes.addAll(SystemRoutes.routes(engine, metrics));
    routes.addAll(AccountRoutes.routes(engine.accounts()));
    routes.addAll(ThreadRoutes.routes(engine.conversations()));
    routes.addAll(MessageRoutes.routes(engine.messages(), engine.conversations()));
    if (engine.attachments() != null) { // the fixture's engine has no attachment store
      routes.addAll(AttachmentRoutes.routes(engine.attachments(),
          new AttachmentLinks(new byte[32], Clock.systemUTC(), AttachmentLinks.DEFAULT_TTL),
          engine.worker()));
    }
    router = new HttpRouter(routes, new StaticFiles("web", responses), engine.authenticator(),
        SAME_THREAD, responses);
    seeds = seeds(alice, bob);
  }

  @AfterProperty
  void stopEngine() {
    fixture.close();
  }

  private List<byte[]> seeds(TestUser alice, TestUser bob) {
    String auth = "Authorization: Bearer " + alice.tokens().access() + "\r\n";
    String t = conversationId;
    return List.of(
        get("/healthz", ""),
        get("/api/users/me", auth),
        get("/api/users?q=al", auth),
        get("/api/threads", auth),
        get("/api/threads/" + t, auth),
        get("/api/threads/" + t + "/messages?before=5&after=1&limit=10", auth),
        get("/", ""),
        post("/api/auth/login", "", "{\"username\":\"alice\",\"password\":\"" + alice.password() + "\"}"),
        post("/api/auth/register", "", "{\"username\":\"carol\",\"password\":\"long-enough-pw\"}"),
        post("/api/auth/refresh", "", "{\"refresh\":\"" + alice.tokens().refresh() + "\"}"),
        post("/api/threads", auth, "{\"kind\":\"group\",\"title\":\"g\",\"members\":[\"" + bob.id() + "\"]}"),
        post("/api/threads/" + t + "/messages", auth, "{\"body\":\"hi\",\"clientId\":\"c1\"}"),
        post("/api/threads/" + t + "/read", auth, "{\"seq\":1}"),
        post("/api/threads/" + t + "/members", auth, "{\"userId\":\"" + bob.id() + "\"}"),
        ("POST /api/threads/" + t + "/messages HTTP/1.1\r\nHost: x\r\n" + auth
            + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "8\r\n{\"body\":\r\n9\r\n\"chunked\"\r\n1\r\n}\r\n0\r\n\r\n").getBytes(StandardCharsets.UTF_8));
    // no seed with an Expect header: see anUnsupportedExpectationGetsTheErrorBody
  }

  private static byte[] get(String uri, String headers) {
    return ("GET " + uri + " HTTP/1.1\r\nHost: x\r\n" + headers + "\r\n").getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] post(String uri, String headers, String json) {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    return ("POST " + uri + " HTTP/1.1\r\nHost: x\r\n" + headers
        + "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n" + json)
        .getBytes(StandardCharsets.UTF_8);
  }

  @Property(tries = 600)
  void mutatedRequestsGetContractAnswers(@ForAll("mutatedSeedBytes") byte[] mutation) {
    serveAndCheck(mutation);
  }

  @Property(tries = 300)
  void randomQueryStringsGetContractAnswers(@ForAll("queries") String query,
                                            @ForAll("queryPaths") String path) {
    String p = path.replace("{t}", conversationId);
    byte[] request = ("GET " + p + "?" + query + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
        + access + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
    serveAndCheck(request);
  }

  @Property(tries = 200)
  void randomBytesGetContractAnswers(@ForAll("randomRequests") byte[] request) {
    serveAndCheck(request);
  }

  @Example
  void aSupportedExpectationIsAnswered() {
    serveAndCheck(("POST /api/auth/login HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n"
        + "Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}").getBytes(StandardCharsets.UTF_8));
  }

  @Example
  void anUnsupportedExpectationGetsTheErrorBody() {
    serveAndCheck(("POST /api/auth/login HTTP/1.1\r\nHost: x\r\nExpect: 200-ok\r\n"
        + "Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}").getBytes(StandardCharsets.UTF_8));
  }

  @Provide
  Arbitrary<byte[]> mutatedSeedBytes() {
    return Mutations.mutated(seeds);
  }

  @Provide
  Arbitrary<byte[]> randomRequests() {
    return Arbitraries.oneOf(
        Arbitraries.bytes().array(byte[].class).ofMaxSize(400),
        Arbitraries.strings().ascii().ofMaxLength(300).map(s -> s.getBytes(StandardCharsets.US_ASCII)),
        Arbitraries.strings().ascii().ofMaxLength(300)
            .map(s -> ("GET /" + s + " HTTP/1.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII)),
        Arbitraries.integers().between(1, 40_000)
            .map(n -> ("GET /" + "a".repeat(n) + " HTTP/1.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII)),
        Arbitraries.integers().between(1, 20_000)
            .map(n -> ("GET / HTTP/1.1\r\nX: " + "b".repeat(n) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII)),
        Arbitraries.integers().between(REQUEST_LIMIT - 10, REQUEST_LIMIT * 3).map(n ->
            ("POST /api/auth/login HTTP/1.1\r\nContent-Length: " + n + "\r\n\r\n" + "{".repeat(n))
                .getBytes(StandardCharsets.US_ASCII)));
  }

  @Provide
  Arbitrary<String> queries() {
    Arbitrary<String> key = Arbitraries.of("before", "after", "limit", "q", "token", "", "limit[]", "%");
    Arbitrary<String> value = Arbitraries.oneOf(
        Arbitraries.strings().withChars("0123456789-+.eE%abcxyzAF=&;#/?\u00e9 ").ofMaxLength(25),
        Arbitraries.of("-1", "0", "1", "200", "201", "9223372036854775807", "9223372036854775808",
            "1e3", "%", "%zz", "%ff", "%c0%80", "%00", "%ed%a0%80", "", "a%20b", "1.5"));
    return net.jqwik.api.Combinators.combine(key, value).as((k, v) -> k + "=" + v)
        .list().ofMinSize(0).ofMaxSize(5).map(l -> String.join("&", l));
  }

  @Provide
  Arbitrary<String> queryPaths() {
    return Arbitraries.of("/api/threads/{t}/messages", "/api/users", "/api/threads", "/healthz",
        "/ws", "/", "/api/threads/{t}/messages/", "/api//threads", "/api/%zz", "/api/threads/%ff");
  }

  private void serveAndCheck(byte[] request) {
    EmbeddedChannel channel = new EmbeddedChannel(new HttpServerCodec(), aggregator(), router);
    ByteBuf in = channel.alloc().buffer(request.length);
    in.writeBytes(request);
    channel.writeInbound(in);
    EmbeddedChannel client = new EmbeddedChannel(new HttpResponseDecoder(),
        new HttpObjectAggregator(1 << 20));
    try {
      ByteBuf out;
      while ((out = channel.readOutbound()) != null) {
        client.writeInbound(out);
      }
      client.finish();
      FullHttpResponse response;
      while ((response = client.readInbound()) != null) {
        try {
          checkContractAnswer(response, request);
        } finally {
          response.release();
        }
      }
    } finally {
      channel.finishAndReleaseAll();
      client.finishAndReleaseAll();
    }
    assertThat(in.refCnt()).as("the request buffer was released").isZero();
  }

  private static void checkContractAnswer(FullHttpResponse response, byte[] request) {
    int status = response.status().code();
    String body = response.content().toString(StandardCharsets.UTF_8);
    String what = "answer " + status + " " + body + " to " + printable(request);
    if (SUCCESS.contains(status)) {
      return;
    }
    assertThat(ERROR_CODES).as(what).containsKey(status);
    if (status == 503 && body.contains("\"status\"")) {
      assertThat(body).as(what).isEqualTo("{\"status\":\"unavailable\"}"); // unhealthy /healthz
      return;
    }
    assertThat(response.headers().get(HttpHeaderNames.CONTENT_TYPE)).as(what).startsWith("application/json");
    JsonNode error;
    try {
      error = Json.mapper().readTree(body).path("error");
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + what, e);
    }
    assertThat(error.path("code").asText()).as(what).isEqualTo(ERROR_CODES.get(status));
    assertThat(error.path("message").isTextual()).as(what).isTrue();
  }

  private static String printable(byte[] request) {
    String s = new String(request, StandardCharsets.ISO_8859_1);
    return (s.length() > 400 ? s.substring(0, 400) + "..." : s).replace("\r", "\\r").replace("\n", "\\n");
  }

  /** The server's own size-limited aggregator, which answers 413 with the contract's body (package-private). */
  private ChannelHandler aggregator() {
    try {
      Class<?> type = Class.forName("dev.parley.server.internal.pipeline.JsonHttpObjectAggregator");
      Constructor<?> c = type.getDeclaredConstructor(int.class, HttpResponses.class);
      c.setAccessible(true);
      return (ChannelHandler) c.newInstance(REQUEST_LIMIT, responses);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("JsonHttpObjectAggregator(int, HttpResponses) not found", e);
    }
  }

  @AfterContainer
  static void noBufferLeaked() {
    LeakDetectionExtension.assertNoLeaks();
  }
}
