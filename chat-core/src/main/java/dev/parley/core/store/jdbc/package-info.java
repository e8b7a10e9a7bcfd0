/**
 * The JDBC store (SQLite and PostgreSQL) with versioned migrations.
 */
package dev.parley.core.store.jdbc;
