package dev.parley.client.internal;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.parley.protocol.ChatException;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.Json;
import dev.parley.protocol.model.Message;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** The client side of the wire: writes client frames and reads server frames. */
public final class Frames {
  /** Lenient: a newer server may add fields; absent booleans are false. */
  private static final ObjectMapper READER = JsonMapper.builder()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
      .build();

  private Frames() {
  }

  public static JsonNode parse(String text) {
    try {
      return READER.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException("server sent non-JSON", e);
    }
  }

  /** A {@code message} frame as the protocol's model (the frame's {@code id} is the message's). */
  public static Message message(JsonNode frame) {
    try {
      return READER.treeToValue(frame, Message.class);
    } catch (IOException e) {
      throw new UncheckedIOException("unreadable message frame", e);
    }
  }

  /** An {@code error} frame as an exception with its wire code. */
  public static ChatException error(JsonNode frame) {
    String wire = frame.path("code").asText("internal");
    ErrorCode code = ErrorCode.INTERNAL;
    for (ErrorCode c : ErrorCode.values()) {
      if (c.wire().equals(wire)) {
        code = c;
      }
    }
    return new ChatException(code, frame.path("message").asText(wire));
  }

  public static String send(Outbox.Pending p) {
    return write(g -> {
      g.writeStringField("type", "send");
      g.writeStringField("id", p.clientId());
      g.writeStringField("thread", p.thread());
      g.writeStringField("body", p.body());
      g.writeStringField("clientId", p.clientId());
      if (!p.attachments().isEmpty()) {
        g.writeArrayFieldStart("attachments");
        for (String a : p.attachments()) {
          g.writeString(a);
        }
        g.writeEndArray();
      }
      if (p.replyTo() != null) {
        g.writeNumberField("replyTo", p.replyTo());
      }
    });
  }

  public static String sync(String id, Map<String, Long> lastSeqs) {
    return write(g -> {
      g.writeStringField("type", "sync");
      g.writeStringField("id", id);
      g.writeObjectFieldStart("threads");
      for (Map.Entry<String, Long> e : lastSeqs.entrySet()) {
        g.writeNumberField(e.getKey(), e.getValue());
      }
      g.writeEndObject();
    });
  }

  public static String auth(String id, String token) {
    return write(g -> {
      g.writeStringField("type", "auth");
      g.writeStringField("id", id);
      g.writeStringField("token", token);
    });
  }

  private static String write(Json.JsonWriter fields) {
    return new String(Json.write(g -> {
      g.writeStartObject();
      fields.write(g);
      g.writeEndObject();
    }), StandardCharsets.UTF_8);
  }
}
