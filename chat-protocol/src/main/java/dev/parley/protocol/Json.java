package dev.parley.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.InvalidDefinitionException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.Map;

/**
 * Shared, strictly configured Jackson objects for the REST layer, and helpers to read request
 * bodies and write responses.
 *
 * <p>Reading never coerces: a number for a string, a string for a number, a decimal for an
 * integer, a boolean for either, or an empty string for a non-string are all {@code bad_request}.
 * Unknown properties are ignored; {@code null} (or absence) for a primitive is an error, so
 * optional numbers should be declared as wrappers ({@code Long}); absent reference fields are
 * null. Records deserialize through their canonical constructor; a {@link ChatException} thrown
 * there (e.g. by validation in a compact constructor) reaches the caller unchanged.
 *
 * <p>The shared instances must not be reconfigured.
 */
public final class Json {
  private static final JsonFactory FACTORY = JsonFactory.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
      .build();

  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
      .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
      .withCoercionConfigDefaults(c -> c.setAcceptBlankAsEmpty(false)
          .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail))
      .withCoercionConfig(LogicalType.Textual, c -> c
          .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
          .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
          .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
      .withCoercionConfig(LogicalType.Integer, c -> c
          .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
          .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
          .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
      .withCoercionConfig(LogicalType.Float, c -> c
          .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
          .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
      .withCoercionConfig(LogicalType.Boolean, c -> c
          .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
          .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
          .setCoercion(CoercionInputShape.Float, CoercionAction.Fail))
      .build();

  private Json() {
  }

  /** Writes JSON into a generator; used with {@link #write(JsonWriter)}. */
  @FunctionalInterface
  public interface JsonWriter {
    void write(JsonGenerator g) throws IOException;
  }

  /**
   * The shared streaming factory (duplicate keys rejected when parsing; characters outside the
   * BMP written as plain UTF-8 rather than escaped surrogate pairs). Use it for generators and
   * parsers on hot paths; never reconfigure it.
   */
  public static JsonFactory factory() {
    return FACTORY;
  }

  /** The shared, strictly configured mapper for request bodies. Never reconfigure it. */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /**
   * Reads a request body that must be one JSON object into {@code type} (typically a record).
   *
   * @throws ChatException {@code bad_request} with a message naming the offending field when the
   *     body is empty, not JSON, not an object, or has a field of the wrong type
   */
  public static <T> T read(byte[] body, Class<T> type) {
    if (body == null || body.length == 0) {
      throw ChatException.badRequest("request body is empty: expected a JSON object");
    }
    try (JsonParser p = MAPPER.createParser(body)) {
      JsonToken first = p.nextToken();
      if (first != JsonToken.START_OBJECT) {
        throw ChatException.badRequest("request body must be a JSON object");
      }
      T value = MAPPER.readValue(p, type);
      if (value == null) {
        throw ChatException.badRequest("request body must be a JSON object");
      }
      if (p.nextToken() != null) {
        throw ChatException.badRequest("unexpected data after the request body's JSON object");
      }
      return value;
    } catch (ValueInstantiationException e) {
      Throwable cause = e.getCause();
      if (cause instanceof ChatException ce) {
        throw ce;
      }
      String why = cause != null && cause.getMessage() != null ? cause.getMessage() : e.getOriginalMessage();
      throw new ChatException(ErrorCode.BAD_REQUEST, "invalid request body: " + why, e);
    } catch (InvalidDefinitionException e) {
      throw new ChatException(ErrorCode.INTERNAL,
          "cannot read request type " + type.getSimpleName() + ": " + e.getOriginalMessage(), e);
    } catch (MismatchedInputException e) {
      String field = path(e);
      if (field.isEmpty()) {
        throw new ChatException(ErrorCode.BAD_REQUEST, "request body must be a JSON object", e);
      }
      String original = e.getOriginalMessage();
      boolean absent = original != null && original.startsWith("Cannot map `null`");
      throw new ChatException(ErrorCode.BAD_REQUEST, "field '" + field + "' "
          + (absent ? "is required and " : "") + "must be " + expected(e.getTargetType()), e);
    } catch (JsonMappingException e) {
      String field = path(e);
      String where = field.isEmpty() ? "" : " (field '" + field + "')";
      throw new ChatException(ErrorCode.BAD_REQUEST,
          "invalid request body" + where + ": " + e.getOriginalMessage(), e);
    } catch (JsonProcessingException e) {
      throw new ChatException(ErrorCode.BAD_REQUEST,
          "request body is not valid JSON: " + brief(e), e);
    } catch (IOException e) {
      throw new ChatException(ErrorCode.BAD_REQUEST, "unreadable request body: " + e.getMessage(), e);
    }
  }

  /** Runs a writer on a fresh generator and returns the UTF-8 bytes it wrote. */
  public static byte[] write(JsonWriter writer) {
    ByteArrayBuilder out = new ByteArrayBuilder(256);
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      writer.write(g);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** The error body of every failed REST call: {@code {"error":{"code","message"}}}. */
  public static byte[] errorBody(ErrorCode code, String message) {
    return write(g -> {
      g.writeStartObject();
      g.writeObjectFieldStart("error");
      g.writeStringField("code", code.wire());
      g.writeStringField("message", message == null ? code.wire() : message);
      g.writeEndObject();
      g.writeEndObject();
    });
  }

  /** The error body for a failure: its code and message. */
  public static byte[] errorBody(ChatException failure) {
    return errorBody(failure.code(), failure.getMessage());
  }

  /** Jackson's own message without the location details it sometimes appends. */
  private static String brief(JsonProcessingException e) {
    String m = e.getOriginalMessage();
    if (m == null) {
      return "unreadable";
    }
    int cut = m.indexOf(" (start marker at");
    if (cut < 0) {
      cut = m.indexOf("\n at [Source");
    }
    return cut < 0 ? m : m.substring(0, cut);
  }

  private static String path(JsonMappingException e) {
    StringBuilder sb = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        if (sb.length() > 0) {
          sb.append('.');
        }
        sb.append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        sb.append('[').append(ref.getIndex()).append(']');
      }
    }
    return sb.toString();
  }

  private static String expected(Class<?> type) {
    if (type == null) {
      return "of another type";
    }
    if (CharSequence.class.isAssignableFrom(type) || type == char.class || type == Character.class) {
      return "a string";
    }
    if (type == long.class || type == int.class || type == short.class || type == byte.class
        || type == Long.class || type == Integer.class || type == Short.class || type == Byte.class
        || type == BigInteger.class) {
      return "an integer";
    }
    if (type == double.class || type == float.class || type == Double.class || type == Float.class
        || type == BigDecimal.class || Number.class.isAssignableFrom(type)) {
      return "a number";
    }
    if (type == boolean.class || type == Boolean.class) {
      return "a boolean";
    }
    if (type.isArray() || Collection.class.isAssignableFrom(type)) {
      return "an array";
    }
    if (type.isEnum()) {
      return "one of the allowed values";
    }
    if (Map.class.isAssignableFrom(type)) {
      return "an object";
    }
    return "an object";
  }
}
