package dev.parley.server.embedding;

// tag::example[]
import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.JWTVerificationException;
import com.auth0.jwt.interfaces.DecodedJWT;
import dev.parley.core.ChatEngine;
import dev.parley.core.ChatListener;
import dev.parley.core.auth.AuthenticatedUser;
import dev.parley.core.auth.Authenticator;
import dev.parley.protocol.ChatException;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.model.User;
import dev.parley.server.ChatServer;
import dev.parley.server.ServerConfig;
import java.nio.file.Path;
import java.security.interfaces.RSAPublicKey;

/**
 * A host application's chat: Parley embedded on a port of its own, accepting the host's RS256
 * tokens, refusing messages with a banned word, and telling the host of every stored message.
 */
public final class EmbeddedChat implements AutoCloseable {
  private final ChatServer server;

  public EmbeddedChat(Path dataDir, int port, RSAPublicKey hostKey, ChatListener listener) {
    ServerConfig config = ServerConfig.builder()
        .host("127.0.0.1")
        .port(port)                       // 0 picks a free port
        .dataDir(dataDir)                 // SQLite and attachments live here
        .build();
    server = ChatServer.builder(config)
        .authenticator(new HostTokens(hostKey))
        .interceptor((sender, thread, body) -> {
          if (body.contains("spam")) {
            throw new ChatException(ErrorCode.FORBIDDEN, "no spam here");
          }
          return body.strip();
        })
        .start();
    server.engine().addListener(listener);
  }

  /** The engine: create users and threads, post messages, read history. No Netty in sight. */
  public ChatEngine engine() {
    return server.engine();
  }

  public int port() {
    return server.port();
  }

  @Override
  public void close() {
    server.close();                       // stores what was accepted, closes sockets with 1001
  }

  /** Accepts the host's own JWTs: RS256, subject = the chat user id, name in a claim. */
  static final class HostTokens implements Authenticator {
    private final JWTVerifier verifier;

    HostTokens(RSAPublicKey key) {
      verifier = JWT.require(Algorithm.RSA256(key, null)).withIssuer("host-app").build();
    }

    @Override
    public AuthenticatedUser authenticate(String token) {
      try {
        DecodedJWT jwt = verifier.verify(token);
        String name = jwt.getClaim("name").asString();
        User user = new User(jwt.getSubject(), name, name);
        return new AuthenticatedUser(user, jwt.getExpiresAtAsInstant().toEpochMilli());
      } catch (JWTVerificationException e) {
        throw ChatException.unauthorized("invalid host token");
      }
    }
  }
}
// end::example[]
