package dev.parley.core.auth;

/** The two kinds of token, as written in the {@code typ} claim. */
enum TokenType {
  ACCESS("access"),
  REFRESH("refresh");

  private final String claim;

  TokenType(String claim) {
    this.claim = claim;
  }

  String claim() {
    return claim;
  }
}
