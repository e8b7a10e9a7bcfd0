import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A WebSocket client in one file, for trying Parley with nothing but the JDK (11 or newer):
 *
 * <pre>java tools/WsSend.java "ws://localhost:8080/ws?token=$TOKEN" '{"type":"ping","id":"1"}' ...</pre>
 *
 * Connects, prints every frame that arrives (one per line), sends each argument after the URL as
 * one text frame, and exits once every frame sent with an "id" has its answer (an ack, pong,
 * synced, presence or error carrying that id), or after 10 seconds (exit status 1).
 * With no frame to send it stays connected and sends each line typed on standard input.
 */
public final class WsSend {
  private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]*)\"");
  private static final Pattern TYPE = Pattern.compile("\"type\"\\s*:\\s*\"([^\"]*)\"");

  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      System.err.println("usage: java WsSend.java ws://host:port/ws?token=TOKEN [frame ...]");
      System.exit(2);
    }
    Set<String> waiting = ConcurrentHashMap.newKeySet();
    CompletableFuture<Void> answered = new CompletableFuture<>();
    CompletableFuture<Void> hello = new CompletableFuture<>();
    WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder()
        .buildAsync(URI.create(args[0]), new WebSocket.Listener() {
          private final StringBuilder text = new StringBuilder();

          @Override
          public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
              String frame = text.toString();
              text.setLength(0);
              System.out.println(frame);
              String type = field(TYPE, frame);
              if ("hello".equals(type)) {
                hello.complete(null);
              } else if (!"message".equals(type)) { // a message's id is its own, not an answer
                String id = field(ID, frame);
                if (id != null && waiting.remove(id) && waiting.isEmpty()) {
                  answered.complete(null);
                }
              }
            }
            socket.request(1);
            return null;
          }

          @Override
          public CompletionStage<?> onClose(WebSocket socket, int code, String reason) {
            System.out.println("closed " + code + " " + reason);
            answered.complete(null);
            return null;
          }
        })
        .get(10, TimeUnit.SECONDS);
    hello.get(10, TimeUnit.SECONDS);
    if (args.length == 1) {
      java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(System.in));
      for (String line; (line = in.readLine()) != null; ) {
        ws.sendText(line, true).join();
      }
    } else {
      for (int i = 1; i < args.length; i++) {
        String id = field(ID, args[i]);
        if (id != null) {
          waiting.add(id);
        }
      }
      if (waiting.isEmpty()) {
        answered.complete(null);
      }
      for (int i = 1; i < args.length; i++) {
        ws.sendText(args[i], true).join();
      }
      try {
        answered.get(10, TimeUnit.SECONDS);
      } catch (java.util.concurrent.TimeoutException e) {
        System.err.println("no answer within 10 s to " + waiting);
        System.exit(1);
      }
    }
    ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
  }

  private static String field(Pattern p, String json) {
    Matcher m = p.matcher(json);
    return m.find() ? m.group(1) : null;
  }
}
