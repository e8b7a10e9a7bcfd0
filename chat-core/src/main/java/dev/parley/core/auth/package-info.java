/**
 * Authentication building blocks, free of any transport: {@link dev.parley.core.auth.TokenService}
 * issues and verifies the HS256 access and refresh tokens, {@link dev.parley.core.auth.PasswordHasher}
 * hashes passwords with bcrypt, and {@link dev.parley.core.auth.JwtSecrets} loads or creates the
 * JWT secret of a data directory.
 */
package dev.parley.core.auth;
