package dev.parley.core.store;

/**
 * What a WebSocket ticket stands for.
 *
 * @param userId whose ticket it is
 * @param sessionId the login session it was issued in, or null when the host's own authenticator
 *     issued the access token behind it
 * @param tokenExpiresAt when the access token it was issued for expires, epoch ms: the connection
 *     it opens must refresh in band before then, as one opened with that token would
 */
public record TicketGrant(String userId, String sessionId, long tokenExpiresAt) {
}
