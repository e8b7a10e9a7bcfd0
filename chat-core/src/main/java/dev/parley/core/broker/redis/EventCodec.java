package dev.parley.core.broker.redis;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.core.broker.BrokerEvent;
import dev.parley.protocol.Json;
import dev.parley.protocol.frame.FrameCodec;
import dev.parley.protocol.model.Attachment;
import dev.parley.protocol.model.ChatThread;
import dev.parley.protocol.model.Change;
import dev.parley.protocol.model.Message;
import dev.parley.protocol.model.User;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The wire form of a {@link BrokerEvent} between nodes: one compact JSON object with the
 * publishing broker's instance id ({@code "o"}), its node id ({@code "n"}), a type tag
 * ({@code "t"}) and the event's fields. Messages and thread snapshots use the same JSON as the
 * client protocol ({@link FrameCodec#writeMessage}, {@link FrameCodec#writeThread}).
 *
 * <pre>
 * {"o":…,"n":…,"t":"message","m":{message}}
 * {"o":…,"n":…,"t":"typing","thread":…,"user":…}
 * {"o":…,"n":…,"t":"read","thread":…,"user":…,"seq":…,"conn":…?}
 * {"o":…,"n":…,"t":"added","thread":…,"user":…,"snapshot":{thread}}
 * {"o":…,"n":…,"t":"removed","thread":…,"user":…}
 * {"o":…,"n":…,"t":"presence","user":…,"online":…,"threads":[…]}
 * {"o":…,"n":…,"t":"disabled","user":…}
 * {"o":…,"n":…,"t":"revoked","user":…,"sessions":[…]}
 * {"o":…,"n":…,"t":"block","blocker":…,"blocked":…,"on":…}
 * {"o":…,"n":…,"t":"updated","thread":…,"snapshot":{thread},"muted":[…],"skip":…?}
 * </pre>
 */
final class EventCodec {
  private EventCodec() {
  }

  /** A decoded event and who published it. */
  record Envelope(String origin, String node, BrokerEvent event) {
  }

  static byte[] encode(String origin, String node, BrokerEvent event) {
    return Json.write(g -> {
      g.writeStartObject();
      g.writeStringField("o", origin);
      g.writeStringField("n", node);
      writeEvent(g, event);
      g.writeEndObject();
    });
  }

  private static void writeEvent(JsonGenerator g, BrokerEvent event) throws IOException {
    if (event instanceof BrokerEvent.MessageStored e) {
      g.writeStringField("t", "message");
      g.writeFieldName("m");
      writeEntry(g, e.message());
    } else if (event instanceof BrokerEvent.Typing e) {
      g.writeStringField("t", "typing");
      g.writeStringField("thread", e.thread());
      g.writeStringField("user", e.user());
    } else if (event instanceof BrokerEvent.Read e) {
      g.writeStringField("t", "read");
      g.writeStringField("thread", e.thread());
      g.writeStringField("user", e.user());
      g.writeNumberField("seq", e.seq());
      if (e.originConnection() != null) {
        g.writeStringField("conn", e.originConnection());
      }
    } else if (event instanceof BrokerEvent.MemberAdded e) {
      g.writeStringField("t", "added");
      g.writeStringField("thread", e.thread());
      g.writeStringField("user", e.user());
      g.writeFieldName("snapshot");
      FrameCodec.writeThread(g, e.snapshot());
    } else if (event instanceof BrokerEvent.MemberRemoved e) {
      g.writeStringField("t", "removed");
      g.writeStringField("thread", e.thread());
      g.writeStringField("user", e.user());
    } else if (event instanceof BrokerEvent.Presence e) {
      g.writeStringField("t", "presence");
      g.writeStringField("user", e.user());
      g.writeBooleanField("online", e.online());
      g.writeArrayFieldStart("threads");
      for (String t : e.threads()) {
        g.writeString(t);
      }
      g.writeEndArray();
    } else if (event instanceof BrokerEvent.UserDisabled e) {
      g.writeStringField("t", "disabled");
      g.writeStringField("user", e.user());
    } else if (event instanceof BrokerEvent.SessionsRevoked e) {
      g.writeStringField("t", "revoked");
      g.writeStringField("user", e.user());
      g.writeArrayFieldStart("sessions");
      for (String s : e.sessions()) {
        g.writeString(s);
      }
      g.writeEndArray();
    } else if (event instanceof BrokerEvent.BlockChanged e) {
      g.writeStringField("t", "block");
      g.writeStringField("blocker", e.blocker());
      g.writeStringField("blocked", e.blocked());
      g.writeBooleanField("on", e.on());
    } else if (event instanceof BrokerEvent.ThreadUpdated e) {
      g.writeStringField("t", "updated");
      g.writeStringField("thread", e.thread());
      g.writeFieldName("snapshot");
      FrameCodec.writeThread(g, e.snapshot());
      g.writeArrayFieldStart("muted");
      for (String u : e.mutedBy()) {
        g.writeString(u);
      }
      g.writeEndArray();
      if (e.skipUser() != null) {
        g.writeStringField("skip", e.skipUser());
      }
    } else {
      throw new IllegalArgumentException("unknown broker event " + event);
    }
  }

  /**
   * The bytes every payload {@link #encode encoded} with {@code origin} starts with. Redis sends
   * a node the events it published itself on the channels it is subscribed to; comparing this
   * prefix lets it drop them without decoding them.
   */
  static byte[] originPrefix(String origin) {
    byte[] object = Json.write(g -> {
      g.writeStartObject();
      g.writeStringField("o", origin);
      g.writeEndObject();
    });
    object[object.length - 1] = ','; // {"o":"…"} -> {"o":"…",
    return object;
  }

  /** True when {@code payload} begins with {@code prefix} (see {@link #originPrefix}). */
  static boolean startsWith(byte[] payload, byte[] prefix) {
    return payload.length >= prefix.length
        && Arrays.equals(payload, 0, prefix.length, prefix, 0, prefix.length);
  }

  /**
   * Reads what {@link #encode} wrote, straight from the UTF-8 bytes Redis delivered.
   *
   * @throws IllegalArgumentException when the payload is not such an object
   */
  static Envelope decode(byte[] payload) {
    JsonNode root;
    try {
      root = Json.mapper().readTree(payload);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new IllegalArgumentException("unreadable: " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("not a JSON object");
    }
    String origin = text(root, "o");
    String node = text(root, "n");
    String type = text(root, "t");
    BrokerEvent event;
    switch (type) {
      case "message":
        event = new BrokerEvent.MessageStored(message(object(root, "m")));
        break;
      case "typing":
        event = new BrokerEvent.Typing(text(root, "thread"), text(root, "user"));
        break;
      case "read":
        event = new BrokerEvent.Read(text(root, "thread"), text(root, "user"), number(root, "seq"),
            optionalText(root, "conn"));
        break;
      case "added":
        event = new BrokerEvent.MemberAdded(text(root, "thread"), text(root, "user"),
            thread(object(root, "snapshot")));
        break;
      case "removed":
        event = new BrokerEvent.MemberRemoved(text(root, "thread"), text(root, "user"));
        break;
      case "presence":
        event = new BrokerEvent.Presence(text(root, "user"), bool(root, "online"),
            strings(root, "threads"));
        break;
      case "disabled":
        event = new BrokerEvent.UserDisabled(text(root, "user"));
        break;
      case "revoked":
        event = new BrokerEvent.SessionsRevoked(text(root, "user"), strings(root, "sessions"));
        break;
      case "block":
        event = new BrokerEvent.BlockChanged(text(root, "blocker"), text(root, "blocked"),
            bool(root, "on"));
        break;
      case "updated":
        event = new BrokerEvent.ThreadUpdated(text(root, "thread"), thread(object(root, "snapshot")),
            strings(root, "muted"), optionalText(root, "skip"));
        break;
      default:
        throw new IllegalArgumentException("unknown event type '" + type + "'");
    }
    return new Envelope(origin, node, event);
  }

  /**
   * A log entry between nodes: the message's fields as on the wire (body always present), plus
   * {@code replyTo}, {@code deleted} (an edit erased in its own batch) and, for a change,
   * {@code change} {@code {"kind","target","emoji"?,"on"?}}.
   */
  private static void writeEntry(JsonGenerator g, Message m) throws IOException {
    g.writeStartObject();
    g.writeStringField("id", m.id());
    g.writeStringField("thread", m.thread());
    g.writeNumberField("seq", m.seq());
    g.writeStringField("sender", m.sender());
    g.writeStringField("body", m.body());
    g.writeNumberField("ts", m.ts());
    if (m.clientId() != null) {
      g.writeStringField("clientId", m.clientId());
    }
    g.writeFieldName("attachments");
    g.writeStartArray();
    for (Attachment a : m.attachments()) {
      FrameCodec.writeAttachment(g, a);
    }
    g.writeEndArray();
    if (m.replyTo() != null) {
      g.writeNumberField("replyTo", m.replyTo());
    }
    if (m.deleted()) {
      g.writeBooleanField("deleted", true);
    }
    Change c = m.change();
    if (c != null) {
      g.writeObjectFieldStart("change");
      g.writeStringField("kind", c.kind().wire());
      g.writeNumberField("target", c.target());
      if (c.kind() == Change.Kind.REACTION) {
        g.writeStringField("emoji", c.emoji());
        g.writeBooleanField("on", c.on());
      }
      g.writeEndObject();
    }
    g.writeEndObject();
  }

  private static Message message(JsonNode m) {
    List<Attachment> attachments = new ArrayList<>();
    for (JsonNode a : array(m, "attachments")) {
      attachments.add(new Attachment(text(a, "id"), text(a, "contentType"), number(a, "size"),
          optionalText(a, "filename")));
    }
    Change change = null;
    JsonNode c = m.get("change");
    if (c != null && !c.isNull()) {
      Change.Kind kind = Change.Kind.ofWire(text(object(m, "change"), "kind"));
      if (kind == null) {
        throw new IllegalArgumentException("unknown change kind");
      }
      long target = number(c, "target");
      change = kind == Change.Kind.REACTION ? Change.reaction(target, text(c, "emoji"), bool(c, "on"))
          : new Change(kind, target, null, false);
    }
    JsonNode reply = m.get("replyTo");
    Long replyTo = reply == null || reply.isNull() ? null : number(m, "replyTo");
    JsonNode deleted = m.get("deleted");
    return new Message(text(m, "id"), text(m, "thread"), number(m, "seq"), text(m, "sender"),
        text(m, "body"), number(m, "ts"), optionalText(m, "clientId"), attachments, replyTo, null,
        deleted != null && bool(m, "deleted"), java.util.Map.of(), change);
  }

  private static ChatThread thread(JsonNode t) {
    List<User> members = new ArrayList<>();
    for (JsonNode u : array(t, "members")) {
      members.add(new User(text(u, "id"), optionalText(u, "username"), optionalText(u, "displayName"),
          optionalText(u, "avatar")));
    }
    List<String> admins = t.has("admins") ? strings(t, "admins") : List.of();
    boolean muted = t.has("muted") && bool(t, "muted");
    return new ChatThread(text(t, "id"), text(t, "kind"), optionalText(t, "title"), text(t, "creator"),
        members, number(t, "createdAt"), number(t, "lastSeq"), admins, muted);
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || !v.isTextual()) {
      throw new IllegalArgumentException("field '" + field + "' must be a string");
    }
    return v.textValue();
  }

  private static String optionalText(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : text(n, field);
  }

  private static long number(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || !v.isIntegralNumber() || !v.canConvertToLong()) {
      throw new IllegalArgumentException("field '" + field + "' must be an integer");
    }
    return v.longValue();
  }

  private static boolean bool(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || !v.isBoolean()) {
      throw new IllegalArgumentException("field '" + field + "' must be a boolean");
    }
    return v.booleanValue();
  }

  private static JsonNode object(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || !v.isObject()) {
      throw new IllegalArgumentException("field '" + field + "' must be an object");
    }
    return v;
  }

  private static JsonNode array(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || !v.isArray()) {
      throw new IllegalArgumentException("field '" + field + "' must be an array");
    }
    return v;
  }

  private static List<String> strings(JsonNode n, String field) {
    List<String> out = new ArrayList<>();
    for (JsonNode v : array(n, field)) {
      if (!v.isTextual()) {
        throw new IllegalArgumentException("field '" + field + "' must hold strings");
      }
      out.add(v.textValue());
    }
    return List.copyOf(out);
  }
}
