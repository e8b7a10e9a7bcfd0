package dev.parley.server.signals;

import static dev.parley.server.signals.Signals.answer;
import static dev.parley.server.signals.Signals.awaitFrame;
import static dev.parley.server.signals.Signals.message;
import static dev.parley.server.signals.Signals.sendFrame;
import static dev.parley.server.signals.Signals.user;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.TestServer.Account;
import dev.parley.server.testing.TestServer.Response;
import dev.parley.server.testing.WsClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Uploading, posting and downloading attachments, and who may see them. */
class AttachmentsIT {
  @RegisterExtension
  static final TestServer server = TestServer.perClass();
  private static Uploads uploads;

  @BeforeAll
  static void start() {
    uploads = new Uploads(server);
  }

  private static String uploaded(Account who, byte[] bytes, String contentType, String filename) {
    Uploads.Answer a = uploads.upload(who.access(), bytes, contentType, filename);
    assertThat(a.status()).as(a.body()).isEqualTo(201);
    return a.id();
  }

  private static void assertAttachment(JsonNode a, String id, String contentType, long size, String filename) {
    assertThat(a.get("id").asText()).isEqualTo(id);
    assertThat(a.get("contentType").asText()).isEqualTo(contentType);
    assertThat(a.get("size").asLong()).isEqualTo(size);
    assertThat(a.get("filename").asText()).isEqualTo(filename);
  }

  @Test
  void anUploadAnswers201AndTheUploaderDownloadsTheSameBytes() {
    Account alice = user(server, "alice");
    byte[] bytes = Uploads.bytes(300_000, 1);
    Uploads.Answer up = uploads.upload(alice.access(), bytes, "image/png", "cat.png");
    assertThat(up.status()).as(up.body()).isEqualTo(201);
    JsonNode a = up.json();
    assertThat(a.get("id").asText()).isNotBlank();
    assertAttachment(a, a.get("id").asText(), "image/png", bytes.length, "cat.png");
    assertThat(a.size()).isEqualTo(4);

    Uploads.Download d = uploads.download(alice.access(), a.get("id").asText());
    assertThat(d.status()).isEqualTo(200);
    assertThat(d.bytes()).isEqualTo(bytes);
    assertThat(d.headers().firstValue("Content-Type")).hasValue("image/png");
    assertThat(d.headers().firstValueAsLong("Content-Length")).hasValue(bytes.length);
  }

  @Test
  void aPostedAttachmentTravelsWithTheMessageAndMembersMayDownloadItButOutsidersMayNot() {
    Account alice = user(server, "alice");
    Account bob = user(server, "bob");
    Account carol = user(server, "carol");
    String g = server.group(alice, "tea", bob);
    byte[] pdf = Uploads.bytes(50_000, 2);
    byte[] txt = "hello, bob\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    String viaWs = uploaded(alice, pdf, "application/pdf", "report.pdf");
    String viaRest = uploaded(alice, txt, "text/plain", "notes.txt");

    // not posted anywhere yet: only alice may read them
    assertThat(uploads.download(bob.access(), viaWs).status()).isEqualTo(403);

    try (WsClient a = server.connect(alice.access());
         WsClient b = server.connect(bob.access())) {
      a.send(sendFrame("s1", g, "the report", List.of(viaWs)));
      assertThat(answer(a, "s1").get("type").asText()).isEqualTo("ack");
      JsonNode live = awaitFrame(b, message(g));
      assertThat(live.get("attachments")).hasSize(1);
      assertAttachment(live.get("attachments").get(0), viaWs, "application/pdf", pdf.length, "report.pdf");

      Response sent = server.post("/api/threads/" + g + "/messages", alice.access(),
          Signals.restSend("the notes", List.of(viaRest)));
      assertThat(sent.status()).as(sent.body()).isEqualTo(201);
      assertAttachment(sent.json().get("attachments").get(0), viaRest, "text/plain", txt.length, "notes.txt");
      JsonNode second = awaitFrame(b, message(g).and(n -> n.get("seq").asLong() == 2));
      assertAttachment(second.get("attachments").get(0), viaRest, "text/plain", txt.length, "notes.txt");
    }

    // history carries them too
    JsonNode history = server.get("/api/threads/" + g + "/messages", bob.access()).json().get("messages");
    assertAttachment(history.get(0).get("attachments").get(0), viaWs, "application/pdf", pdf.length, "report.pdf");
    assertThat(history.get(1).get("attachments")).hasSize(1);

    Uploads.Download byBob = uploads.download(bob.access(), viaWs);
    assertThat(byBob.status()).isEqualTo(200);
    assertThat(byBob.bytes()).isEqualTo(pdf);
    assertThat(byBob.headers().firstValue("Content-Type")).hasValue("application/pdf");
    assertThat(uploads.download(bob.access(), viaRest).bytes()).isEqualTo(txt);

    Uploads.Download byCarol = uploads.download(carol.access(), viaWs);
    assertThat(byCarol.status()).isEqualTo(403);
    assertThat(byCarol.errorCode()).isEqualTo("forbidden");
    assertThat(uploads.download(null, viaWs).status()).isEqualTo(401);
  }

  @Test
  void aMemberWhoLeavesTheThreadLosesAccessAndOneWhoJoinsGainsIt() {
    Account alice = user(server, "alice");
    Account bob = user(server, "bob");
    Account dave = user(server, "dave");
    String g = server.group(alice, "tea", bob);
    byte[] bytes = Uploads.bytes(4096, 13);
    String id = uploaded(alice, bytes, "image/webp", "pic.webp");
    Response sent = server.post("/api/threads/" + g + "/messages", alice.access(),
        Signals.restSend("pic", List.of(id)));
    assertThat(sent.status()).as(sent.body()).isEqualTo(201);
    assertThat(uploads.download(bob.access(), id).status()).isEqualTo(200);
    assertThat(uploads.download(dave.access(), id).status()).isEqualTo(403);

    Response removed = server.request("DELETE", "/api/threads/" + g + "/members/" + bob.id(), alice.access(), null);
    assertThat(removed.status()).isEqualTo(204);
    Response added = server.post("/api/threads/" + g + "/members", alice.access(), "{\"userId\":\"" + dave.id() + "\"}");
    assertThat(added.status()).isEqualTo(200);

    assertThat(uploads.download(bob.access(), id).status()).isEqualTo(403);
    Uploads.Download byDave = uploads.download(dave.access(), id);
    assertThat(byDave.status()).isEqualTo(200);
    assertThat(byDave.bytes()).isEqualTo(bytes);
    assertThat(uploads.download(alice.access(), id).status()).isEqualTo(200);
  }

  @Test
  void anUnknownAttachmentIs404() {
    Account alice = user(server, "alice");
    Uploads.Download d = uploads.download(alice.access(), "no-such-attachment");
    assertThat(d.status()).isEqualTo(404);
    assertThat(d.errorCode()).isEqualTo("not_found");
  }

  @Test
  void referencingSomeoneElsesOrAnUnknownAttachmentIsABadRequest() {
    Account alice = user(server, "alice");
    Account bob = user(server, "bob");
    String g = server.group(alice, "tea", bob);
    String bobs = uploaded(bob, Uploads.bytes(1000, 3), "image/jpeg", "bob.jpg");

    try (WsClient a = server.connect(alice.access());
         WsClient b = server.connect(bob.access())) {
      a.send(sendFrame("s1", g, "look", List.of(bobs)));
      JsonNode error = answer(a, "s1");
      assertThat(error.get("type").asText()).isEqualTo("error");
      assertThat(error.get("code").asText()).isEqualTo("bad_request");

      a.send(sendFrame("s2", g, "look", List.of("no-such-attachment")));
      assertThat(answer(a, "s2").get("code").asText()).isEqualTo("bad_request");

      Response rest = server.post("/api/threads/" + g + "/messages", alice.access(),
          Signals.restSend("look", List.of(bobs)));
      assertThat(rest.status()).as(rest.body()).isEqualTo(400);
      assertThat(rest.errorCode()).isEqualTo("bad_request");

      Signals.assertNoneArrives(message(g), a, b);
    }
    // and the refused reference did not open it up to alice
    assertThat(uploads.download(alice.access(), bobs).status()).isEqualTo(403);
    assertThat(server.get("/api/threads/" + g + "/messages", alice.access()).json().get("messages")).isEmpty();
  }

  @Test
  void moreThanTenAttachmentsOnAMessageIsABadRequest() {
    Account alice = user(server, "alice");
    Account bob = user(server, "bob");
    String g = server.group(alice, "tea", bob);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 11; i++) {
      ids.add(uploaded(alice, new byte[] {(byte) i}, "application/octet-stream", "f" + i));
    }
    Response eleven = server.post("/api/threads/" + g + "/messages", alice.access(), Signals.restSend("many", ids));
    assertThat(eleven.status()).as(eleven.body()).isEqualTo(400);
    assertThat(eleven.errorCode()).isEqualTo("bad_request");

    try (WsClient a = server.connect(alice.access())) {
      a.send(sendFrame("s11", g, "many", ids));
      assertThat(answer(a, "s11").get("code").asText()).isEqualTo("bad_request");

      a.send(sendFrame("s10", g, "ten", ids.subList(0, 10)));
      assertThat(answer(a, "s10").get("type").asText()).isEqualTo("ack");
      assertThat(awaitFrame(a, message(g)).get("attachments")).hasSize(10);
    }
  }

  @Test
  void anUploadWithoutContentTypeIsStoredAsOctetStream() {
    Account alice = user(server, "alice");
    byte[] bytes = Uploads.bytes(2048, 4);
    Uploads.Answer up = uploads.upload(alice.access(), bytes, null, "blob.bin");
    assertThat(up.status()).as(up.body()).isEqualTo(201);
    assertThat(up.json().get("contentType").asText()).isEqualTo("application/octet-stream");
    Uploads.Download d = uploads.download(alice.access(), up.id());
    assertThat(d.headers().firstValue("Content-Type")).hasValue("application/octet-stream");
    assertThat(d.bytes()).isEqualTo(bytes);
  }

  @Test
  void aFilenameWithAPathKeepsOnlyItsLastSegmentAndNeverLeavesTheDataDir() {
    Account alice = user(server, "alice");
    String marker = "parley-escape-" + UUID.randomUUID();
    Path dataDir = server.dataDir();
    List<Path> outside = List.of(dataDir.resolve(marker), dataDir.getParent().resolve(marker),
        dataDir.getParent().getParent().resolve(marker), Path.of("/etc", marker));

    for (String name : List.of("../../" + marker, "..\\..\\" + marker, "/tmp/../" + marker)) {
      Uploads.Answer up = uploads.upload(alice.access(), Uploads.bytes(100, 5), "text/plain", name);
      assertThat(up.status()).as(up.body()).isEqualTo(201);
      assertThat(up.json().get("filename").asText()).isEqualTo(marker);
      // stored under its id, inside the attachment folder
      assertThat(Files.isRegularFile(uploads.attachmentDir().resolve(up.id()))).isTrue();
    }
    Uploads.Answer passwd = uploads.upload(alice.access(), Uploads.bytes(10, 6), "text/plain", "../../etc/passwd");
    assertThat(passwd.status()).as(passwd.body()).isEqualTo(201);
    assertThat(passwd.json().get("filename").asText()).isEqualTo("passwd");

    for (Path p : outside) {
      assertThat(p).doesNotExist();
    }
    // no file anywhere in the data dir carries a name a user gave
    assertThat(Uploads.files(dataDir)).noneMatch(p -> p.getFileName().toString().contains(marker))
        .noneMatch(p -> p.getFileName().toString().equals("passwd"));
  }
}
