package dev.parley.core.store.jdbc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.core.store.UserAccount;
import dev.parley.protocol.model.Attachment;
import dev.parley.protocol.model.Message;
import dev.parley.protocol.model.User;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/** Column lists and row mappers shared by the store's queries. */
final class Rows {
  /** Message columns, in the order {@link #message} reads them from {@code offset}. */
  static final String MESSAGE_COLUMNS =
      "thread_id, seq, id, sender, body, ts, client_id, attachments";
  static final String USER_COLUMNS = "id, username, display_name";
  static final String ACCOUNT_COLUMNS = "id, username, display_name, password_hash, disabled";

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
    return new Message(
        rs.getString(offset + 2),
        rs.getString(offset),
        rs.getLong(offset + 1),
        rs.getString(offset + 3),
        rs.getString(offset + 4),
        rs.getLong(offset + 5),
        rs.getString(offset + 6),
        attachments(rs.getString(offset + 7)));
  }

  static User user(ResultSet rs, int offset) throws SQLException {
    return new User(rs.getString(offset), rs.getString(offset + 1), rs.getString(offset + 2));
  }

  static UserAccount account(ResultSet rs) throws SQLException {
    return new UserAccount(user(rs, 1), rs.getString(4), rs.getBoolean(5));
  }
}
