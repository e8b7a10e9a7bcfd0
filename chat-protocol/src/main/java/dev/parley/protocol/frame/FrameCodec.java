package dev.parley.protocol.frame;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import dev.parley.protocol.Json;
import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.model.Attachment;
import dev.parley.protocol.model.Change;
import dev.parley.protocol.model.ChatThread;
import dev.parley.protocol.model.Message;
import dev.parley.protocol.model.ThreadSummary;
import dev.parley.protocol.model.User;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON codec of the WebSocket protocol: strict decoding of client frames and fast encoding of
 * server frames, both on Jackson's streaming API (no data binding, no reflection).
 *
 * <p>Decoding never coerces: a number where a string is due, a string where a number is due, a
 * decimal where an integer is due, a malformed or non-object frame, an unknown {@code type}, a
 * missing field, a duplicate key or data after the object all raise a {@link ProtocolException}
 * ({@code bad_request}). Unknown extra fields are ignored, and so is an explicit JSON {@code null}
 * in an optional field (it counts as absent).
 *
 * <p>The {@code write*} methods write the shapes shared with the REST API (user, message, thread,
 * thread summary, attachment) into any generator, so both transports emit the same JSON.
 *
 * <p>Thread-safe and stateless: create one and share it.
 */
public final class FrameCodec {
  private static final SerializableString TYPE = name("type");
  private static final SerializableString ID = name("id");
  private static final SerializableString THREAD = name("thread");
  private static final SerializableString SEQ = name("seq");
  private static final SerializableString SENDER = name("sender");
  private static final SerializableString BODY = name("body");
  private static final SerializableString TS = name("ts");
  private static final SerializableString CLIENT_ID = name("clientId");
  private static final SerializableString ATTACHMENTS = name("attachments");
  private static final SerializableString CONTENT_TYPE = name("contentType");
  private static final SerializableString SIZE = name("size");
  private static final SerializableString FILENAME = name("filename");
  private static final SerializableString USER = name("user");
  private static final SerializableString USERS = name("users");
  private static final SerializableString USERNAME = name("username");
  private static final SerializableString DISPLAY_NAME = name("displayName");
  private static final SerializableString AVATAR = name("avatar");
  private static final SerializableString MESSAGE_ID = name("messageId");
  private static final SerializableString EXPIRES_AT = name("expiresAt");
  private static final SerializableString NODE = name("node");
  private static final SerializableString HEARTBEAT = name("heartbeat");
  private static final SerializableString STATUS = name("status");
  private static final SerializableString CODE = name("code");
  private static final SerializableString MESSAGE = name("message");
  private static final SerializableString KIND = name("kind");
  private static final SerializableString TITLE = name("title");
  private static final SerializableString CREATOR = name("creator");
  private static final SerializableString ADMINS = name("admins");
  private static final SerializableString MUTED = name("muted");
  private static final SerializableString MEMBERS = name("members");
  private static final SerializableString CREATED_AT = name("createdAt");
  private static final SerializableString LAST_SEQ = name("lastSeq");
  private static final SerializableString LAST_MESSAGE = name("lastMessage");
  private static final SerializableString UNREAD = name("unread");
  private static final SerializableString REPLY_TO = name("replyTo");
  private static final SerializableString EDITED_AT = name("editedAt");
  private static final SerializableString DELETED = name("deleted");
  private static final SerializableString REACTIONS = name("reactions");
  private static final SerializableString TARGET = name("target");
  private static final SerializableString EMOJI = name("emoji");
  private static final SerializableString ON = name("on");
  private static final SerializableString CHANGED = name("changed");

  private static final SerializableString T_MESSAGE = name("message");
  private static final SerializableString T_ACK = name("ack");
  private static final SerializableString T_TYPING = name("typing");
  private static final SerializableString T_READ = name("read");
  private static final SerializableString T_PRESENCE = name("presence");
  private static final SerializableString T_HELLO = name("hello");
  private static final SerializableString T_SYNCED = name("synced");
  private static final SerializableString T_PONG = name("pong");
  private static final SerializableString T_ERROR = name("error");
  private static final SerializableString T_THREAD = name("thread");
  private static final SerializableString T_REMOVED = name("removed");

  /** Marks an explicit JSON null. */
  private static final Object JSON_NULL = new Object();

  /** A string holding an unpaired surrogate. */
  private static final Wrong NOT_UNICODE = new Wrong("a string that is not valid Unicode");

  private static final int ENCODE_BUFFER = 256;

  private final JsonFactory factory;

  /** A codec on the shared, strictly configured {@link Json#factory()}. */
  public FrameCodec() {
    this.factory = Json.factory();
  }

  // ---------------------------------------------------------------- decoding

  /**
   * Decodes one client frame from UTF-8 JSON.
   *
   * @throws ProtocolException ({@code bad_request}) when the frame breaks any rule of the protocol
   */
  public ClientFrame decode(byte[] utf8) {
    Fields f = new Fields();
    try (JsonParser p = factory.createParser(utf8)) {
      return decode(p, f);
    } catch (JsonProcessingException e) {
      throw malformed(e, f);
    } catch (IOException e) {
      throw new ProtocolException("unreadable frame: " + e.getMessage(), f.frameId());
    }
  }

  /**
   * Decodes one client frame from JSON text.
   *
   * @throws ProtocolException ({@code bad_request}) when the frame breaks any rule of the protocol
   */
  public ClientFrame decode(String text) {
    Fields f = new Fields();
    try (JsonParser p = factory.createParser(text)) {
      return decode(p, f);
    } catch (JsonProcessingException e) {
      throw malformed(e, f);
    } catch (IOException e) {
      throw new ProtocolException("unreadable frame: " + e.getMessage(), f.frameId());
    }
  }

  private static ProtocolException malformed(JsonProcessingException e, Fields f) {
    return new ProtocolException("malformed JSON frame: " + brief(e), f.frameId());
  }

  /** Jackson's message without the location details it sometimes appends. */
  private static String brief(JsonProcessingException e) {
    String m = e.getOriginalMessage();
    int cut = m == null ? -1 : m.indexOf(" (start marker at");
    return m == null ? "unreadable" : cut < 0 ? m : m.substring(0, cut);
  }

  private static ClientFrame decode(JsonParser p, Fields f) throws IOException {
    JsonToken t = p.nextToken();
    if (t == null) {
      throw new ProtocolException("empty frame: expected a JSON object", null);
    }
    if (t != JsonToken.START_OBJECT) {
      throw new ProtocolException("a frame must be a JSON object, got " + describe(t), null);
    }
    while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken value = p.nextToken();
      switch (name) {
        case "type":
          f.type = readValue(p, value);
          break;
        case "id":
          f.id = readValue(p, value);
          break;
        case "thread":
          f.thread = readValue(p, value);
          break;
        case "body":
          f.body = readValue(p, value);
          break;
        case "clientId":
          f.clientId = readValue(p, value);
          break;
        case "attachments":
          f.attachments = readValue(p, value);
          break;
        case "seq":
          f.seq = readValue(p, value);
          break;
        case "threads":
          f.threads = readValue(p, value);
          break;
        case "users":
          f.users = readValue(p, value);
          break;
        case "token":
          f.token = readValue(p, value);
          break;
        case "target":
          f.target = readValue(p, value);
          break;
        case "emoji":
          f.emoji = readValue(p, value);
          break;
        case "on":
          f.on = readValue(p, value);
          break;
        case "replyTo":
          f.replyTo = readValue(p, value);
          break;
        default:
          p.skipChildren();
          break;
      }
    }
    // t is END_OBJECT here: the parser itself rejects anything else inside an object
    JsonToken trailing;
    try {
      trailing = p.nextToken();
    } catch (JsonProcessingException e) {
      throw new ProtocolException("unexpected data after the frame's JSON object", f.frameId());
    }
    if (trailing != null) {
      throw new ProtocolException("unexpected data after the frame's JSON object", f.frameId());
    }
    return build(f);
  }

  private static ClientFrame build(Fields f) {
    String id = optionalString("id", f.id, null);
    String typeName = requiredString("type", f.type, id);
    ClientFrameType type = ClientFrameType.fromWire(typeName);
    if (type == null) {
      throw new ProtocolException("unknown frame type '" + typeName + "'", id);
    }
    switch (type) {
      case SEND:
        return new SendFrame(id, requiredString("thread", f.thread, id),
            requiredString("body", f.body, id), optionalString("clientId", f.clientId, id),
            optionalStrings("attachments", f.attachments, id), optionalLong("replyTo", f.replyTo, id));
      case TYPING:
        return new TypingFrame(id, requiredString("thread", f.thread, id));
      case READ:
        return new ReadFrame(id, requiredString("thread", f.thread, id),
            requiredLong("seq", f.seq, id));
      case SYNC:
        return new SyncFrame(id, requiredSeqs("threads", f.threads, id));
      case PRESENCE:
        return new PresenceQueryFrame(id, requiredStrings("users", f.users, id));
      case PING:
        return new PingFrame(id);
      case AUTH:
        return new AuthFrame(id, requiredString("token", f.token, id));
      case EDIT:
        return new EditFrame(id, requiredString("thread", f.thread, id),
            requiredLong("target", f.target, id), requiredString("body", f.body, id),
            optionalString("clientId", f.clientId, id));
      case DELETE:
        return new DeleteFrame(id, requiredString("thread", f.thread, id),
            requiredLong("target", f.target, id), optionalString("clientId", f.clientId, id));
      case REACT:
        return new ReactFrame(id, requiredString("thread", f.thread, id),
            requiredLong("target", f.target, id), requiredString("emoji", f.emoji, id),
            requiredBoolean("on", f.on, id), optionalString("clientId", f.clientId, id));
      default:
        throw new IllegalStateException("unhandled frame type " + type);
    }
  }

  /** The value at the parser's current token: String, Long, List of String, Map of Long, or Wrong. */
  private static Object readValue(JsonParser p, JsonToken t) throws IOException {
    switch (t) {
      case VALUE_STRING: {
        String s = p.getText();
        return wellFormed(s) ? s : NOT_UNICODE;
      }
      case VALUE_NUMBER_INT:
        return readLong(p);
      case VALUE_NULL:
        return JSON_NULL;
      case VALUE_TRUE:
        return Boolean.TRUE;
      case VALUE_FALSE:
        return Boolean.FALSE;
      case START_ARRAY:
        return readStringArray(p);
      case START_OBJECT:
        return readLongObject(p);
      default:
        return new Wrong(describe(t));
    }
  }

  private static Object readLong(JsonParser p) throws IOException {
    JsonParser.NumberType nt = p.getNumberType();
    if (nt == JsonParser.NumberType.INT || nt == JsonParser.NumberType.LONG) {
      return p.getLongValue();
    }
    return new Wrong("an integer out of range");
  }

  private static Object readStringArray(JsonParser p) throws IOException {
    List<String> values = new ArrayList<>();
    Wrong wrong = null;
    JsonToken t;
    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
      if (wrong == null) {
        if (t == JsonToken.VALUE_STRING && wellFormed(p.getText())) {
          values.add(p.getText());
        } else {
          String what = t == JsonToken.VALUE_STRING ? "a string that is not valid Unicode" : describe(t);
          wrong = new Wrong("an array", "an array containing " + what);
        }
      }
      p.skipChildren();
    }
    return wrong != null ? wrong : values;
  }

  private static Object readLongObject(JsonParser p) throws IOException {
    Map<String, Long> values = new LinkedHashMap<>();
    Wrong wrong = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String key = p.currentName();
      JsonToken t = p.nextToken();
      if (wrong == null) {
        Object v = t == JsonToken.VALUE_NUMBER_INT ? readLong(p) : null;
        if (!wellFormed(key)) {
          wrong = new Wrong("an object", "an object with a key that is not valid Unicode");
        } else if (v instanceof Long n) {
          values.put(key, n);
        } else {
          String what = v instanceof Wrong w ? w.detail() : describe(t);
          wrong = new Wrong("an object", "an object whose value for \"" + key + "\" is " + what);
        }
      }
      p.skipChildren();
    }
    return wrong != null ? wrong : values;
  }

  private static String requiredString(String field, Object v, String id) {
    if (v == null) {
      throw missing(field, id);
    }
    if (v instanceof String s) {
      return s;
    }
    throw mistyped(field, "a string", v, false, id);
  }

  private static String optionalString(String field, Object v, String id) {
    if (v == null || v == JSON_NULL) {
      return null;
    }
    if (v instanceof String s) {
      return s;
    }
    throw mistyped(field, "a string", v, false, id);
  }

  private static long requiredLong(String field, Object v, String id) {
    if (v == null) {
      throw missing(field, id);
    }
    if (v instanceof Long n) {
      return n;
    }
    throw mistyped(field, "an integer", v, false, id);
  }

  private static Long optionalLong(String field, Object v, String id) {
    return v == null || v == JSON_NULL ? null : requiredLong(field, v, id);
  }

  private static boolean requiredBoolean(String field, Object v, String id) {
    if (v == null) {
      throw missing(field, id);
    }
    if (v instanceof Boolean b) {
      return b;
    }
    throw mistyped(field, "a boolean", v, false, id);
  }

  @SuppressWarnings("unchecked")
  private static List<String> requiredStrings(String field, Object v, String id) {
    if (v == null) {
      throw missing(field, id);
    }
    if (v instanceof List<?> list) {
      return (List<String>) list;
    }
    throw mistyped(field, "an array of strings", v, v instanceof Wrong w && w.kind().equals("an array"), id);
  }

  private static List<String> optionalStrings(String field, Object v, String id) {
    return v == null || v == JSON_NULL ? List.of() : requiredStrings(field, v, id);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Long> requiredSeqs(String field, Object v, String id) {
    if (v == null) {
      throw missing(field, id);
    }
    if (v instanceof Map<?, ?> map) {
      return (Map<String, Long>) map;
    }
    throw mistyped(field, "an object mapping thread ids to integer seqs", v,
        v instanceof Wrong w && w.kind().equals("an object"), id);
  }

  private static ProtocolException missing(String field, String id) {
    return new ProtocolException("missing required field '" + field + "'", id);
  }

  private static ProtocolException mistyped(String field, String expected, Object v, boolean detailed,
                                            String id) {
    if (v == NOT_UNICODE) {
      return new ProtocolException(
          "field '" + field + "' is not valid Unicode (it holds an unpaired surrogate)", id);
    }
    String got;
    if (v == JSON_NULL) {
      got = "null";
    } else if (v instanceof String) {
      got = "a string";
    } else if (v instanceof Long) {
      got = "a number";
    } else if (v instanceof Boolean) {
      got = "a boolean";
    } else if (v instanceof List) {
      got = "an array";
    } else if (v instanceof Map) {
      got = "an object";
    } else {
      Wrong w = (Wrong) v;
      got = detailed ? w.detail() : w.kind();
    }
    return new ProtocolException("field '" + field + "' must be " + expected + ", got " + got, id);
  }

  private static String describe(JsonToken t) {
    switch (t) {
      case VALUE_STRING:
        return "a string";
      case VALUE_NUMBER_INT:
        return "an integer";
      case VALUE_NUMBER_FLOAT:
        return "a decimal number";
      case VALUE_TRUE:
      case VALUE_FALSE:
        return "a boolean";
      case VALUE_NULL:
        return "null";
      case START_ARRAY:
        return "an array";
      case START_OBJECT:
        return "an object";
      default:
        return t.toString();
    }
  }

  /** False when the string holds a surrogate char that is not part of a pair (not valid UTF-16). */
  private static boolean wellFormed(String s) {
    for (int i = 0, n = s.length(); i < n; i++) {
      char c = s.charAt(i);
      if (Character.isSurrogate(c)) {
        if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
          i++;
        } else {
          return false;
        }
      }
    }
    return true;
  }

  /** The raw top-level fields of a frame as read, before the type is known. */
  private static final class Fields {
    Object type;
    Object id;
    Object thread;
    Object body;
    Object clientId;
    Object attachments;
    Object seq;
    Object threads;
    Object users;
    Object token;
    Object target;
    Object emoji;
    Object on;
    Object replyTo;

    String frameId() {
      return id instanceof String s ? s : null;
    }
  }

  /** A value of the wrong JSON type: a short and a detailed description of what was found. */
  private record Wrong(String kind, String detail) {
    Wrong(String kind) {
      this(kind, kind);
    }
  }

  // ---------------------------------------------------------------- encoding

  /** Encodes a server frame as UTF-8 JSON. */
  public byte[] encode(ServerFrame frame) {
    ByteArrayBuilder out = new ByteArrayBuilder(ENCODE_BUFFER);
    try (JsonGenerator g = factory.createGenerator(out)) {
      writeFrame(g, frame);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /**
   * Encodes a server frame as UTF-8 JSON straight into a stream (e.g. a Netty
   * {@code ByteBufOutputStream}), without an intermediate array. The stream is not closed.
   */
  public void encode(ServerFrame frame, OutputStream out) {
    try (JsonGenerator g = factory.createGenerator(out)) {
      writeFrame(g, frame);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes a server frame as one JSON object into a generator. */
  public static void writeFrame(JsonGenerator g, ServerFrame frame) throws IOException {
    g.writeStartObject();
    if (frame instanceof MessageFrame f) {
      if (f.message().isMessage()) {
        g.writeFieldName(TYPE);
        g.writeString(T_MESSAGE);
        writeMessageFields(g, f.message());
      } else {
        writeChangeFields(g, f.message());
      }
    } else if (frame instanceof ChangeAckFrame f) {
      writeType(g, T_ACK);
      writeId(g, f.id());
      stringField(g, THREAD, f.thread());
      longField(g, SEQ, f.seq());
      longField(g, TS, f.ts());
      if (!f.changed()) {
        g.writeFieldName(CHANGED);
        g.writeBoolean(false);
      }
    } else if (frame instanceof MessageAckFrame f) {
      writeType(g, T_ACK);
      writeId(g, f.id());
      stringField(g, THREAD, f.thread());
      longField(g, SEQ, f.seq());
      stringField(g, MESSAGE_ID, f.messageId());
      longField(g, TS, f.ts());
    } else if (frame instanceof TypingEvent f) {
      writeType(g, T_TYPING);
      stringField(g, THREAD, f.thread());
      stringField(g, USER, f.user());
    } else if (frame instanceof ReadEvent f) {
      writeType(g, T_READ);
      stringField(g, THREAD, f.thread());
      stringField(g, USER, f.user());
      longField(g, SEQ, f.seq());
    } else if (frame instanceof PresenceEvent f) {
      writeType(g, T_PRESENCE);
      stringField(g, USER, f.user());
      stringField(g, STATUS, f.status());
    } else if (frame instanceof ReadAckFrame f) {
      writeType(g, T_ACK);
      writeId(g, f.id());
      stringField(g, THREAD, f.thread());
      longField(g, SEQ, f.seq());
    } else if (frame instanceof PongFrame f) {
      writeType(g, T_PONG);
      writeId(g, f.id());
    } else if (frame instanceof SyncedFrame f) {
      writeType(g, T_SYNCED);
      writeId(g, f.id());
    } else if (frame instanceof ErrorFrame f) {
      writeType(g, T_ERROR);
      writeId(g, f.id());
      stringField(g, CODE, f.code().wire());
      stringField(g, MESSAGE, f.message());
    } else if (frame instanceof PresenceAnswer f) {
      writeType(g, T_PRESENCE);
      writeId(g, f.id());
      g.writeFieldName(USERS);
      g.writeStartObject();
      for (Map.Entry<String, String> e : f.users().entrySet()) {
        g.writeStringField(e.getKey(), e.getValue());
      }
      g.writeEndObject();
    } else if (frame instanceof ThreadEvent f) {
      writeType(g, T_THREAD);
      g.writeFieldName(THREAD);
      writeThread(g, f.thread());
    } else if (frame instanceof RemovedEvent f) {
      writeType(g, T_REMOVED);
      stringField(g, THREAD, f.thread());
    } else if (frame instanceof HelloFrame f) {
      writeType(g, T_HELLO);
      g.writeFieldName(USER);
      writeUser(g, f.user());
      stringField(g, NODE, f.node());
      g.writeFieldName(HEARTBEAT);
      g.writeNumber(f.heartbeat());
      longField(g, EXPIRES_AT, f.expiresAt());
    } else if (frame instanceof AuthAckFrame f) {
      writeType(g, T_ACK);
      writeId(g, f.id());
      longField(g, EXPIRES_AT, f.expiresAt());
    } else {
      throw new IllegalArgumentException("unknown server frame " + frame);
    }
    g.writeEndObject();
  }

  /** Writes {@code {"id","username","displayName","avatar"?}} ({@code avatar} only when there is one). */
  public static void writeUser(JsonGenerator g, User user) throws IOException {
    g.writeStartObject();
    writeUserFields(g, user);
    g.writeEndObject();
  }

  /** Writes the fields of {@link #writeUser} into an object the caller opened. */
  public static void writeUserFields(JsonGenerator g, User user) throws IOException {
    stringField(g, ID, user.id());
    stringField(g, USERNAME, user.username());
    stringField(g, DISPLAY_NAME, user.displayName());
    if (user.avatar() != null) {
      stringField(g, AVATAR, user.avatar());
    }
  }

  /** Writes {@code {"users":[user...]}}, the body of the REST routes that list users. */
  public static void writeUserList(JsonGenerator g, List<User> users) throws IOException {
    g.writeStartObject();
    g.writeArrayFieldStart("users");
    for (User u : users) {
      writeUser(g, u);
    }
    g.writeEndArray();
    g.writeEndObject();
  }

  /** Writes {@code {"id","contentType","size","filename"}} (filename null when unknown). */
  public static void writeAttachment(JsonGenerator g, Attachment a) throws IOException {
    g.writeStartObject();
    stringField(g, ID, a.id());
    stringField(g, CONTENT_TYPE, a.contentType());
    longField(g, SIZE, a.size());
    stringField(g, FILENAME, a.filename());
    g.writeEndObject();
  }

  /**
   * Writes a message object without {@code type}:
   * {@code {"id","thread","seq","sender","body","ts","clientId"?,"attachments":[…]}}.
   */
  public static void writeMessage(JsonGenerator g, Message m) throws IOException {
    g.writeStartObject();
    writeMessageFields(g, m);
    g.writeEndObject();
  }

  public static void writeMessageFields(JsonGenerator g, Message m) throws IOException {
    stringField(g, ID, m.id());
    stringField(g, THREAD, m.thread());
    longField(g, SEQ, m.seq());
    stringField(g, SENDER, m.sender());
    if (m.deleted()) {
      // erased: exactly {"id","thread","seq","sender","ts","deleted":true}
      longField(g, TS, m.ts());
      g.writeFieldName(DELETED);
      g.writeBoolean(true);
      return;
    }
    stringField(g, BODY, m.body());
    longField(g, TS, m.ts());
    if (m.clientId() != null) {
      stringField(g, CLIENT_ID, m.clientId());
    }
    g.writeFieldName(ATTACHMENTS);
    g.writeStartArray();
    for (Attachment a : m.attachments()) {
      writeAttachment(g, a);
    }
    g.writeEndArray();
    if (m.replyTo() != null) {
      longField(g, REPLY_TO, m.replyTo());
    }
    if (m.editedAt() != null) {
      longField(g, EDITED_AT, m.editedAt());
    }
    if (!m.reactions().isEmpty()) {
      g.writeFieldName(REACTIONS);
      g.writeStartObject();
      for (Map.Entry<String, List<String>> e : m.reactions().entrySet()) {
        g.writeFieldName(e.getKey());
        g.writeStartArray();
        for (String user : e.getValue()) {
          g.writeString(user);
        }
        g.writeEndArray();
      }
      g.writeEndObject();
    }
  }

  /**
   * Writes a change entry's fields, type included: {@code edited}
   * {@code {"type","thread","seq","target","user","body"?,"ts"}} (no body once the target was
   * deleted), {@code deleted} {@code {"type","thread","seq","target","user","ts"}}, {@code reaction}
   * {@code {"type","thread","seq","target","user","emoji","on","ts"}}.
   */
  public static void writeChangeFields(JsonGenerator g, Message m) throws IOException {
    Change c = m.change();
    g.writeFieldName(TYPE);
    g.writeString(c.kind().wire());
    stringField(g, THREAD, m.thread());
    longField(g, SEQ, m.seq());
    longField(g, TARGET, c.target());
    stringField(g, USER, m.sender());
    switch (c.kind()) {
      case EDITED:
        if (!m.deleted()) {
          stringField(g, BODY, m.body());
        }
        break;
      case REACTION:
        stringField(g, EMOJI, c.emoji());
        g.writeFieldName(ON);
        g.writeBoolean(c.on());
        break;
      default:
        break;
    }
    longField(g, TS, m.ts());
  }

  /**
   * Writes a thread object:
   * {@code {"id","kind","title"?,"creator","members":[user…],"createdAt","lastSeq"}}, plus
   * {@code "admins":[userId…]} on a group and {@code "muted":true} when the viewer muted it.
   */
  public static void writeThread(JsonGenerator g, ChatThread t) throws IOException {
    g.writeStartObject();
    writeThreadFields(g, t);
    g.writeEndObject();
  }

  /**
   * Writes one row of a thread list: the thread's fields plus {@code "lastMessage"} (a message
   * object, or JSON null on an empty thread) and {@code "unread"}.
   */
  public static void writeThreadSummary(JsonGenerator g, ThreadSummary s) throws IOException {
    g.writeStartObject();
    writeThreadFields(g, s.thread());
    g.writeFieldName(LAST_MESSAGE);
    if (s.lastMessage() == null) {
      g.writeNull();
    } else {
      writeMessage(g, s.lastMessage());
    }
    longField(g, UNREAD, s.unread());
    g.writeEndObject();
  }

  private static void writeThreadFields(JsonGenerator g, ChatThread t) throws IOException {
    stringField(g, ID, t.id());
    stringField(g, KIND, t.kind());
    if (t.title() != null) {
      stringField(g, TITLE, t.title());
    }
    stringField(g, CREATOR, t.creator());
    g.writeFieldName(MEMBERS);
    g.writeStartArray();
    for (User u : t.members()) {
      writeUser(g, u);
    }
    g.writeEndArray();
    longField(g, CREATED_AT, t.createdAt());
    longField(g, LAST_SEQ, t.lastSeq());
    if (!t.isDirect()) {
      g.writeFieldName(ADMINS);
      g.writeStartArray();
      for (String admin : t.admins()) {
        g.writeString(admin);
      }
      g.writeEndArray();
    }
    if (t.muted()) {
      g.writeFieldName(MUTED);
      g.writeBoolean(true);
    }
  }

  private static void writeType(JsonGenerator g, SerializableString type) throws IOException {
    g.writeFieldName(TYPE);
    g.writeString(type);
  }

  private static void writeId(JsonGenerator g, String id) throws IOException {
    if (id != null) {
      stringField(g, ID, id);
    }
  }

  private static void stringField(JsonGenerator g, SerializableString name, String value)
      throws IOException {
    g.writeFieldName(name);
    g.writeString(value);
  }

  private static void longField(JsonGenerator g, SerializableString name, long value)
      throws IOException {
    g.writeFieldName(name);
    g.writeNumber(value);
  }

  private static SerializableString name(String s) {
    return new SerializedString(s);
  }
}
