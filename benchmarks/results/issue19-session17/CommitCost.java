import dev.parley.core.store.PendingMessage;
import dev.parley.core.store.jdbc.JdbcChatStore;
import dev.parley.core.store.jdbc.StoreOptions;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/** Commit-thread CPU per message for batches of PER messages over random threads. */
public class CommitCost {
  public static void main(String[] a) throws Exception {
    int per = Integer.parseInt(a[0]);
    int batches = Integer.parseInt(a[1]);
    boolean words = a[2].equals("words");
    Path dir = Files.createTempDirectory("cc");
    JdbcChatStore store = JdbcChatStore.open(StoreOptions.of("jdbc:sqlite:" + dir.resolve("chat.db")));
    String label = a.length > 3 ? a[3] : "build";
    long now = System.currentTimeMillis();
    var u = store.createUser("u", "U", "h", now);
    List<String> threads = new ArrayList<>();
    for (int i = 0; i < 100; i++) threads.add(store.createGroup("g" + i, u.id(), List.of(u.id()), now).id());
    Random r = new Random(42);
    String[] vocab = new String[5000];
    for (int i = 0; i < vocab.length; i++) { StringBuilder w = new StringBuilder(); int n = 3 + r.nextInt(7); for (int j = 0; j < n; j++) w.append((char) ('a' + r.nextInt(26))); vocab[i] = w.toString(); }
    var bean = ManagementFactory.getThreadMXBean();
    long seqId = 0;
    for (int phase = 0; phase < 2; phase++) {
      int n = phase == 0 ? batches / 4 : batches;
      long cpu0 = bean.getCurrentThreadCpuTime(), t0 = System.nanoTime(), w0 = wchar();
      for (int b = 0; b < n; b++) {
        List<PendingMessage> batch = new ArrayList<>(per);
        for (int k = 0; k < per; k++) {
          String body;
          if (words) { StringBuilder sb = new StringBuilder(); for (int j = 0; j < 15; j++) sb.append(j == 0 ? "" : " ").append(vocab[r.nextInt(vocab.length)]); body = sb.toString(); }
          else body = "x".repeat(100);
          String cid = Long.toString(System.currentTimeMillis(), 36) + "-" + (seqId++);
          batch.add(new PendingMessage(UUID.randomUUID().toString(), threads.get(r.nextInt(threads.size())), u.id(), body, now + seqId, cid, List.of()));
        }
        store.appendBatch(batch);
      }
      long cpu = bean.getCurrentThreadCpuTime() - cpu0, wall = System.nanoTime() - t0, w = wchar() - w0;
      if (phase == 1) System.out.printf("%s per=%d batches=%d body=%s: cpu/msg %.1f us, wall/batch %.1f us, written/msg %.0f B%n",
          label, per, n, a[2], cpu / 1e3 / (n * per), wall / 1e3 / n, (double) w / (n * per));
    }
    store.close();
  }
  static long wchar() throws Exception {
    for (String l : Files.readAllLines(Path.of("/proc/self/io"))) if (l.startsWith("wchar")) return Long.parseLong(l.split("\\s+")[1]);
    return 0;
  }
}
