package dev.agentfactory.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;
import org.postgresql.util.ServerErrorMessage;

/** How a database failure is classified and told in one line. */
class DatabaseErrorsTest {
    @Test
    void the_value_postgresql_quotes_after_a_colon_is_cut_and_detail_lines_are_dropped() {
        PSQLException error = new PSQLException(new ServerErrorMessage(
                "SERROR\0C22P02\0Minvalid input syntax for type uuid: \"tok_secret\"\0Dthe row (tok_secret)\0"));
        String line = DatabaseErrors.describe(new IllegalStateException("wrapped", error));
        assertEquals("database error 22P02 (IllegalStateException): invalid input syntax for type uuid", line);
        assertFalse(line.contains("tok_secret"));
    }

    @Test
    void lost_connections_and_shutdowns_are_unavailable_other_failures_are_not() {
        assertTrue(DatabaseErrors.isUnavailable(new PSQLException("gone", PSQLState.CONNECTION_FAILURE)));
        assertTrue(DatabaseErrors.isUnavailable(new SQLException("shutting down", "57P01")));
        assertTrue(DatabaseErrors.isUnavailable(new SQLException("too many connections", "53300")));
        assertFalse(DatabaseErrors.isUnavailable(new SQLException("check violation", "23514")));
        assertFalse(DatabaseErrors.isUnavailable(new IllegalStateException("not the database")));
    }

    @Test
    void only_failures_from_the_driver_or_jdbi_count_as_database_failures() {
        assertTrue(DatabaseErrors.isDatabaseFailure(new RuntimeException(new SQLException("x", "42P01"))));
        assertFalse(DatabaseErrors.isDatabaseFailure(new UncheckedIOException(new java.io.IOException("disk"))));
    }
}
