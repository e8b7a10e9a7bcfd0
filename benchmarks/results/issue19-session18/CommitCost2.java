import dev.parley.core.internal.util.Ids;
import dev.parley.core.store.PendingMessage;
import dev.parley.core.store.jdbc.JdbcChatStore;
import dev.parley.core.store.jdbc.StoreOptions;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Commit-thread CPU and bytes written per message: batches of PER messages over THREADS group
 * threads (each message to a random one), message ids as the server makes them (time-ordered)
 * and clientIds as the web client and SDK make them (time in fixed-width base 36, then 80
 * random bits), or as chat-bench makes them ("sender.count"): java -cp chat-server.jar
 * CommitCost2.java PER BATCHES THREADS sdk|bench LABEL
 */
public class CommitCost2 {
  public static void main(String[] a) throws Exception {
    int per = Integer.parseInt(a[0]);
    int batches = Integer.parseInt(a[1]);
    int threadCount = Integer.parseInt(a[2]);
    boolean sdk = a[3].equals("sdk");
    String label = a.length > 4 ? a[4] : "build";
    Path dir = Files.createTempDirectory("cc");
    JdbcChatStore store = JdbcChatStore.open(StoreOptions.of("jdbc:sqlite:" + dir.resolve("chat.db")));
    long now = System.currentTimeMillis();
    List<String> users = new ArrayList<>();
    for (int i = 0; i < 10; i++) users.add(store.createUser("u" + i, "U", "h", now).id());
    List<String> threads = new ArrayList<>();
    for (int i = 0; i < threadCount; i++) threads.add(store.createGroup("g" + i, users.get(0), users, now).id());
    Random r = new Random(42);
    var bean = ManagementFactory.getThreadMXBean();
    long count = 0;
    String body = "x".repeat(100);
    for (int phase = 0; phase < 2; phase++) {
      int n = phase == 0 ? batches / 4 : batches;
      long cpu0 = bean.getCurrentThreadCpuTime(), t0 = System.nanoTime(), w0 = wchar();
      for (int b = 0; b < n; b++) {
        List<PendingMessage> batch = new ArrayList<>(per);
        for (int k = 0; k < per; k++) {
          int t = r.nextInt(threads.size());
          int sender = r.nextInt(users.size());
          String cid;
          if (sdk) {
            StringBuilder hex = new StringBuilder();
            for (int i = 0; i < 10; i++) hex.append(String.format("%02x", r.nextInt(256)));
            String time = Long.toString(System.currentTimeMillis(), 36);
            cid = "0".repeat(9 - time.length()) + time + "-" + hex;
          } else {
            cid = (t * 10 + sender) + "." + (count++) + ".0";
          }
          batch.add(new PendingMessage(Ids.newTimeOrderedId(), threads.get(t), users.get(sender), body,
              now + count, cid, List.of()));
        }
        store.appendBatch(batch);
      }
      long cpu = bean.getCurrentThreadCpuTime() - cpu0, wall = System.nanoTime() - t0, w = wchar() - w0;
      if (phase == 1) System.out.printf("%s per=%d batches=%d threads=%d ids=%s: cpu/msg %.1f us, wall/batch %.1f us, written/msg %.0f B%n",
          label, per, n, threadCount, a[3], cpu / 1e3 / (n * per), wall / 1e3 / n, (double) w / (n * per));
    }
    store.close();
  }

  static long wchar() throws Exception {
    for (String l : Files.readAllLines(Path.of("/proc/self/io"))) if (l.startsWith("wchar")) return Long.parseLong(l.split("\\s+")[1]);
    return 0;
  }
}
