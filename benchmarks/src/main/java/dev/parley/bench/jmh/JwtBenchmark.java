package dev.parley.bench.jmh;

import dev.parley.core.auth.TokenService;
import dev.parley.core.auth.VerifiedToken;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Verifying an HS256 access token (what every WebSocket upgrade and {@code auth} frame costs),
 * beside the bare HMAC-SHA256 of the same signing input with {@link Mac}: the part of the cost
 * no JWT library can avoid.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class JwtBenchmark {
  private static final String SECRET = "benchmark-secret-that-is-long-enough-for-hs256";

  private TokenService tokens;
  private String token;
  private byte[] signingInput;
  private Mac mac;

  @Setup
  public void setUp() throws Exception {
    tokens = TokenService.create(SECRET, Duration.ofHours(1), Duration.ofDays(1), Clock.systemUTC());
    token = tokens.issue("u_benchmark01", "bench-session").access();
    signingInput = token.substring(0, token.lastIndexOf('.')).getBytes(StandardCharsets.US_ASCII);
    mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
  }

  @Benchmark
  public VerifiedToken verifyAccess() {
    return tokens.verifyAccess(token);
  }

  @Benchmark
  public byte[] verifyBaselineHmacSha256() {
    return mac.doFinal(signingInput);
  }
}
