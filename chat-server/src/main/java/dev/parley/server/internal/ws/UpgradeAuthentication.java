package dev.parley.server.internal.ws;

import dev.parley.core.auth.AuthenticatedUser;
import io.netty.util.AttributeKey;
import java.util.List;

/** What the upgrade handler learned before the handshake: the user and their threads. */
record UpgradeAuthentication(AuthenticatedUser user, List<String> conversationIds) {
  static final AttributeKey<UpgradeAuthentication> KEY =
      AttributeKey.valueOf(UpgradeAuthentication.class, "auth");
}
