package dev.parley.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.internal.attachments.AttachmentLinks;
import dev.parley.server.internal.http.Route;
import dev.parley.server.internal.metrics.ServerMetrics;
import dev.parley.server.testing.TestServer;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.SpecVersion;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document of the REST API ({@code /openapi.json}): valid OpenAPI 3.1, served by the
 * server, listing exactly the routes the server has, each answering with a documented status.
 */
class OpenApiDocumentIT {
  /** Answered by the pipeline's streaming upload handler, not by a {@link Route}. */
  private static final Set<String> OUTSIDE_THE_ROUTER = Set.of("POST /api/attachments");

  private static TestServer server;
  private static String document;
  private static OpenAPI api;

  @BeforeAll
  static void start() throws IOException {
    try (InputStream in = OpenApiDocumentIT.class.getResourceAsStream("/web/openapi.json")) {
      assertThat(in).as("web/openapi.json on the classpath").isNotNull();
      document = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    ParseOptions options = new ParseOptions();
    options.setResolve(true);
    SwaggerParseResult result = new OpenAPIV3Parser().readContents(document, null, options);
    assertThat(result.getMessages()).as("parser messages").isEmpty();
    api = result.getOpenAPI();
    server = TestServer.start();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void isValidOpenApi31() {
    assertThat(api.getSpecVersion()).isEqualTo(SpecVersion.V31);
    assertThat(api.getOpenapi()).isEqualTo("3.1.0");
    assertThat(api.getPaths()).isNotEmpty();
  }

  @Test
  void isServedByTheServer() {
    TestServer.Response r = server.get("/openapi.json", null);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(r.body()).isEqualTo(document);
  }

  @Test
  void listsExactlyTheRoutesOfTheServer() {
    Set<String> documented = new TreeSet<>();
    api.getPaths().forEach((path, item) ->
        item.readOperationsMap().keySet().forEach(m -> documented.add(m.name() + " " + normalise(path))));
    Set<String> served = ChatServer.Builder.restRoutes(server.server().engine(),
            new ServerMetrics(() -> 0),
            new AttachmentLinks(new byte[32], Clock.systemUTC(), Duration.ofMinutes(1)))
        .stream()
        .map(r -> r.method().name() + " " + normalise(r.template()))
        .collect(Collectors.toCollection(TreeSet::new));
    OUTSIDE_THE_ROUTER.forEach(op -> served.add(normalise(op)));
    assertThat(documented).isEqualTo(served);
  }

  @Test
  void everyOperationAnswersWithADocumentedStatus() {
    api.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, op) -> {
      String name = method + " " + path;
      String concrete = path.replaceAll("\\{[^}]+}", "no-such-id");
      boolean secured = op.getSecurity() == null || !op.getSecurity().isEmpty();
      String body = method == PathItem.HttpMethod.POST ? "{}" : null;
      String token = secured ? server.register(TestServer.uniqueName("oa")).access() : null;

      TestServer.Response r = server.request(method.name(), concrete, token, body);
      assertThat(r.body()).as(name).doesNotContain("no such route");
      assertThat(documentedStatuses(op)).as(name + " answered " + r.status() + " " + r.body())
          .contains(String.valueOf(r.status()));
      if (r.status() >= 400 && isJson(r)) {
        assertThat(r.errorCode()).as(name + " error body").isNotEmpty();
      }
      if (secured) {
        TestServer.Response anonymous = server.request(method.name(), concrete, null, body);
        assertThat(anonymous.status()).as(name + " without a token").isEqualTo(401);
        assertThat(documentedStatuses(op)).as(name).contains("401");
      }
    }));
  }

  @Test
  void uploadAnswersAsDocumented() {
    String token = server.register(TestServer.uniqueName("oa")).access();
    TestServer.Response r = server.send(HttpRequest.newBuilder(server.uri("/api/attachments"))
        .header("Authorization", "Bearer " + token)
        .header("Content-Type", "text/plain")
        .header("X-Filename", "a.txt")
        .POST(HttpRequest.BodyPublishers.ofString("hello"))
        .build());
    assertThat(r.status()).isEqualTo(201);
    Map<String, ?> properties = api.getComponents().getSchemas().get("Attachment").getProperties();
    r.json().fieldNames().forEachRemaining(f -> assertThat(properties).containsKey(f));
  }

  private static Set<String> documentedStatuses(Operation op) {
    return op.getResponses().keySet();
  }

  private static boolean isJson(TestServer.Response r) {
    return r.headers().firstValue("Content-Type").orElse("").startsWith("application/json");
  }

  /** Path parameters by position, not by name: {@code /a/{id}} and {@code /a/{x}} are one route. */
  private static String normalise(String route) {
    return route.replaceAll("\\{[^}]+}", "{}");
  }
}
