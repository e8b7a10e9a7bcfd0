package dev.parley.bench.jmh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.protocol.frame.ClientFrame;
import dev.parley.protocol.frame.FrameCodec;
import dev.parley.protocol.frame.MessageFrame;
import dev.parley.protocol.model.Message;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The WebSocket codec: decoding a client {@code send} frame and encoding a server {@code message}
 * frame, beside plain Jackson data binding ({@code readTree} / {@code writeValueAsBytes}) of the
 * same JSON as the baseline. {@code bodyBytes} is the size of the message body; 100 is the size
 * the "encode under 1 us" target names.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class FrameCodecBenchmark {
  @Param({"64", "100", "1024", "16384"})
  int bodyBytes;

  private final FrameCodec codec = new FrameCodec();
  private final ObjectMapper mapper = new ObjectMapper();
  private byte[] sendFrame;
  private MessageFrame messageFrame;
  private MessageView messageView;

  /** The message frame's fields as a plain record, for Jackson's reflective serializer. */
  public record MessageView(String type, String id, String thread, long seq, String sender,
                            String body, long ts, String clientId, List<String> attachments) {
  }

  @Setup
  public void setUp() {
    String body = "x".repeat(bodyBytes);
    sendFrame = ("{\"type\":\"send\",\"id\":\"42\",\"thread\":\"t_3kq9x7d2m1\",\"body\":\"" + body
        + "\",\"clientId\":\"c-1-42\"}").getBytes(StandardCharsets.UTF_8);
    Message m = new Message("m_8f3k2j9d0a", "t_3kq9x7d2m1", 12345, "u_7d2k9s8a1q", body,
        1_760_000_000_000L, "c-1-42", List.of());
    messageFrame = new MessageFrame(m);
    messageView = new MessageView("message", m.id(), m.thread(), m.seq(), m.sender(), m.body(),
        m.ts(), m.clientId(), List.of());
  }

  @Benchmark
  public ClientFrame decodeSend() {
    return codec.decode(sendFrame);
  }

  @Benchmark
  public JsonNode decodeSendBaselineJacksonReadTree() throws Exception {
    return mapper.readTree(sendFrame);
  }

  @Benchmark
  public byte[] encodeMessage() {
    return codec.encode(messageFrame);
  }

  @Benchmark
  public byte[] encodeMessageBaselineJacksonWriteValueAsBytes() throws Exception {
    return mapper.writeValueAsBytes(messageView);
  }
}
