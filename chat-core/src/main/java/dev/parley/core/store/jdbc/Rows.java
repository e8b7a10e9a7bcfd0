package dev.parley.core.store.jdbc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.core.store.UserAccount;
import dev.parley.protocol.model.Attachment;
import dev.parley.protocol.model.Change;
import dev.parley.protocol.model.Message;
import dev.parley.protocol.model.User;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/** Column lists and row mappers shared by the store's queries. */
final class Rows {
  /** Message columns, in the order {@link #message} reads them from {@code offset}. */
  static final String MESSAGE_COLUMNS =
      "thread_id, seq, id, sender, body, ts, client_id, attachments,"
          + " kind, target, emoji, reaction_on, reply_to, edited_at, deleted";
  /** How many columns {@link #MESSAGE_COLUMNS} names. */
  static final int MESSAGE_COLUMN_COUNT = 15;
  static final String USER_COLUMNS = userColumns("users");
  static final String ACCOUNT_COLUMNS = USER_COLUMNS + ", password_hash, disabled";

  private static final TypeReference<List<Attachment>> ATTACHMENT_LIST = new TypeReference<>() { };

  private final ObjectMapper json = new ObjectMapper();

  /** The attachments as stored: null for none, else a JSON array. */
  String attachmentsJson(List<Attachment> attachments) {
    if (attachments.isEmpty()) {
      return null;
    }
    try {
      return json.writeValueAsString(attachments);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode attachments", e);
    }
  }

  List<Attachment> attachments(String stored) {
    if (stored == null || stored.isEmpty()) {
      return List.of();
    }
    try {
      return json.readValue(stored, ATTACHMENT_LIST);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("corrupt attachments column: " + stored, e);
    }
  }

  /** A message from {@link #MESSAGE_COLUMNS} starting at column {@code offset} (1-based). */
  Message message(ResultSet rs, int offset) throws SQLException {
    Change.Kind kind = Change.Kind.ofCode(rs.getInt(offset + 8));
    Change change = null;
    if (kind != null) {
      long target = rs.getLong(offset + 9);
      change = switch (kind) {
        case EDITED -> Change.edited(target);
        case DELETED -> Change.deleted(target);
        case REACTION -> Change.reaction(target, rs.getString(offset + 10), rs.getInt(offset + 11) != 0);
      };
    }
    long replyTo = rs.getLong(offset + 12);
    Long reply = rs.wasNull() ? null : replyTo;
    long editedAt = rs.getLong(offset + 13);
    Long edited = rs.wasNull() ? null : editedAt;
    return new Message(
        rs.getString(offset + 2),
        rs.getString(offset),
        rs.getLong(offset + 1),
        rs.getString(offset + 3),
        rs.getString(offset + 4),
        rs.getLong(offset + 5),
        rs.getString(offset + 6),
        attachments(rs.getString(offset + 7)),
        reply, edited, rs.getInt(offset + 14) != 0, Map.of(), change);
  }

  /** The user columns of the table or alias {@code table}, in the order {@link #user} reads them. */
  static String userColumns(String table) {
    return table + ".id, " + table + ".username, " + table + ".display_name, " + table + ".avatar_version";
  }

  /** A user from {@link #userColumns} starting at column {@code offset} (1-based). */
  static User user(ResultSet rs, int offset) throws SQLException {
    String id = rs.getString(offset);
    String avatarVersion = rs.getString(offset + 3);
    return new User(id, rs.getString(offset + 1), rs.getString(offset + 2),
        avatarVersion == null ? null : User.avatarPath(id, avatarVersion));
  }

  static UserAccount account(ResultSet rs) throws SQLException {
    return new UserAccount(user(rs, 1), rs.getString(5), rs.getBoolean(6));
  }
}
