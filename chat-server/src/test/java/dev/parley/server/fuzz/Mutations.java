package dev.parley.server.fuzz;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Arbitraries shared by the fuzz properties: byte-level mutations of valid inputs (bits flipped,
 * bytes replaced, truncated, ranges deleted or duplicated, invalid UTF-8 and JSON fragments
 * spliced in) and random JSON text, deep nesting and oversized numbers included.
 */
final class Mutations {
  /** Byte sequences that are never valid UTF-8: overlong, lone continuation, surrogate, truncated, out of range. */
  static final List<byte[]> INVALID_UTF8 = List.of(
      new byte[] {(byte) 0xC0, (byte) 0x80},
      new byte[] {(byte) 0x80},
      new byte[] {(byte) 0xBF},
      new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
      new byte[] {(byte) 0xF0, (byte) 0x9F},
      new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
      new byte[] {(byte) 0xFE},
      new byte[] {(byte) 0xFF},
      new byte[] {(byte) 0xE2, (byte) 0x82});

  /** Fragments that stress a JSON parser when spliced in anywhere. */
  static final List<String> JSON_FRAGMENTS = List.of(
      "{", "}", "[", "]", "\"", ":", ",", "\\", "\\u", "\\uD800", "\\uDC00\\uD800", "\\u0000",
      "null", "true", "-0", "1e999999", "-1e-999999", "99999999999999999999999999999999",
      "9223372036854775808", "-9223372036854775809", "0.1", "NaN", "Infinity", "01", "1.",
      "\u0000", "\uFEFF", "/*", "//", "'", "{\"type\":\"ping\"}", "\"type\":", "\"seq\":",
      "\"threads\":{", "\"users\":[", "\"id\":1,", "\r\n", " ", "\t");

  private enum Kind { FLIP_BIT, SET_BYTE, TRUNCATE, DELETE, DUPLICATE, INSERT_BYTE, INSERT_UTF8, INSERT_FRAGMENT, SWAP }

  private record Edit(Kind kind, int at, int length, int value) {
  }

  private Mutations() {
  }

  /** One of the seeds with one to eight random edits. */
  static Arbitrary<byte[]> mutated(List<byte[]> seeds) {
    Arbitrary<Edit> edit = Combinators.combine(
        Arbitraries.of(Kind.class),
        Arbitraries.integers().between(0, Integer.MAX_VALUE),
        Arbitraries.integers().between(1, 64),
        Arbitraries.integers().between(0, 255)).as(Edit::new);
    return Combinators.combine(Arbitraries.of(seeds), edit.list().ofMinSize(1).ofMaxSize(8))
        .as((seed, edits) -> {
          byte[] out = seed.clone();
          for (Edit e : edits) {
            out = apply(out, e);
          }
          return out;
        });
  }

  /** The seeds' text as UTF-8. */
  static List<byte[]> utf8(String... seeds) {
    return java.util.Arrays.stream(seeds).map(s -> s.getBytes(StandardCharsets.UTF_8)).toList();
  }

  private static byte[] apply(byte[] in, Edit e) {
    int n = in.length;
    int at = n == 0 ? 0 : e.at() % (n + 1);
    switch (e.kind()) {
      case FLIP_BIT:
        if (n > 0) {
          in[at % n] ^= (byte) (1 << (e.value() & 7));
        }
        return in;
      case SET_BYTE:
        if (n > 0) {
          in[at % n] = (byte) e.value();
        }
        return in;
      case TRUNCATE:
        return java.util.Arrays.copyOf(in, at);
      case DELETE: {
        int end = Math.min(n, at + e.length());
        return concat(slice(in, 0, at), slice(in, end, n));
      }
      case DUPLICATE: {
        int end = Math.min(n, at + e.length());
        return concat(slice(in, 0, end), slice(in, at, n));
      }
      case INSERT_BYTE:
        return concat(slice(in, 0, at), new byte[] {(byte) e.value()}, slice(in, at, n));
      case INSERT_UTF8:
        return concat(slice(in, 0, at), INVALID_UTF8.get(e.value() % INVALID_UTF8.size()), slice(in, at, n));
      case INSERT_FRAGMENT:
        return concat(slice(in, 0, at),
            JSON_FRAGMENTS.get(e.value() % JSON_FRAGMENTS.size()).getBytes(StandardCharsets.UTF_8),
            slice(in, at, n));
      case SWAP: {
        if (n > 1) {
          int j = (at + e.length()) % n;
          byte t = in[at % n];
          in[at % n] = in[j];
          in[j] = t;
        }
        return in;
      }
      default:
        throw new IllegalStateException(e.kind().name());
    }
  }

  private static byte[] slice(byte[] in, int from, int to) {
    return java.util.Arrays.copyOfRange(in, Math.min(from, to), to);
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  // ------------------------------------------------------------------ random JSON

  /** Random JSON text (valid JSON, though mostly not a valid frame): objects with the protocol's field names, any values. */
  static Arbitrary<String> jsonObjects() {
    return Arbitraries.randomValue(r -> object(r, 0));
  }

  /** Any JSON value at the top level, objects most often. */
  static Arbitrary<String> jsonValues() {
    return Arbitraries.randomValue(r -> value(r, 0));
  }

  /** {@code depth} nested arrays or objects around a value, closed or not. */
  static String nested(int depth, boolean objects, boolean closed) {
    StringBuilder sb = new StringBuilder(depth * 6);
    sb.append("{\"type\":\"ping\",\"extra\":");
    for (int i = 0; i < depth; i++) {
      sb.append(objects ? "{\"a\":" : "[");
    }
    sb.append('1');
    if (closed) {
      for (int i = 0; i < depth; i++) {
        sb.append(objects ? '}' : ']');
      }
    }
    return sb.append('}').toString();
  }

  private static final String[] FIELDS = {"type", "id", "thread", "body", "clientId", "attachments",
      "seq", "threads", "users", "token", "x", ""};
  private static final String[] TYPES = {"send", "typing", "read", "sync", "presence", "ping", "auth",
      "SEND", "pong", "", "hello"};

  private static String object(Random r, int depth) {
    StringBuilder sb = new StringBuilder("{");
    int fields = r.nextInt(7);
    for (int i = 0; i < fields; i++) {
      if (i > 0) {
        sb.append(',');
      }
      String name = FIELDS[r.nextInt(FIELDS.length)];
      sb.append('"').append(name).append("\":");
      if (name.equals("type") && r.nextInt(3) > 0) {
        sb.append('"').append(TYPES[r.nextInt(TYPES.length)]).append('"');
      } else {
        sb.append(value(r, depth + 1));
      }
    }
    return sb.append('}').toString();
  }

  private static String value(Random r, int depth) {
    int pick = r.nextInt(depth > 4 ? 6 : 9);
    switch (pick) {
      case 0:
        return string(r);
      case 1:
        return number(r);
      case 2:
        return r.nextBoolean() ? "true" : "false";
      case 3:
        return "null";
      case 4:
      case 5:
        return string(r);
      case 6: {
        StringBuilder sb = new StringBuilder("[");
        int n = r.nextInt(5);
        for (int i = 0; i < n; i++) {
          sb.append(i > 0 ? "," : "").append(value(r, depth + 1));
        }
        return sb.append(']').toString();
      }
      default:
        return object(r, depth);
    }
  }

  private static String number(Random r) {
    switch (r.nextInt(8)) {
      case 0:
        return Long.toString(r.nextLong());
      case 1:
        return Integer.toString(r.nextInt(100));
      case 2:
        return "9".repeat(1 + r.nextInt(1200)); // past Long and past Jackson's number length limit
      case 3:
        return r.nextDouble() + "e" + (r.nextInt(2000) - 1000);
      case 4:
        return "-0";
      case 5:
        return "1" + "0".repeat(r.nextInt(30)) + ".5";
      case 6:
        return Long.toString(Long.MAX_VALUE) + r.nextInt(10);
      default:
        return "-" + r.nextInt(Integer.MAX_VALUE);
    }
  }

  private static String string(Random r) {
    StringBuilder sb = new StringBuilder("\"");
    int n = r.nextInt(12);
    for (int i = 0; i < n; i++) {
      switch (r.nextInt(8)) {
        case 0:
          sb.append("\\u").append(String.format("%04x", r.nextInt(0x10000))); // lone surrogates too
          break;
        case 1:
          sb.append("\\\"");
          break;
        case 2:
          sb.appendCodePoint(0x1F600 + r.nextInt(50));
          break;
        case 3:
          sb.append((char) (0x80 + r.nextInt(0x700)));
          break;
        default:
          sb.append((char) ('a' + r.nextInt(26)));
      }
    }
    return sb.append('"').toString();
  }
}
