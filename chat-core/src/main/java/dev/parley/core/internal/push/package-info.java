/**
 * Web Push internals: RFC 8291 payload encryption, RFC 8292 VAPID signing and the endpoint
 * address checks. The primitives are the JDK's (ECDH, AES-GCM) and Bouncy Castle's (HKDF, P-256
 * point decoding); java-jwt signs the ES256 token. Nothing here is hand-rolled crypto.
 */
package dev.parley.core.internal.push;
