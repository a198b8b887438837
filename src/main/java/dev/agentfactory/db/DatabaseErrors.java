package dev.agentfactory.db;

import java.sql.SQLException;
import java.util.Optional;
import org.jdbi.v3.core.ConnectionException;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.statement.StatementExceptions;
import org.postgresql.util.PSQLException;
import org.slf4j.Logger;

/**
 * Database failures, told safely. Jdbi puts the SQL statement and its bound arguments into its
 * exception messages, and PostgreSQL's detail lines echo row values: logged as they are, a failed
 * insert would copy tokens, payloads or personal data into the log. Here a failure is one line —
 * the SQLState and PostgreSQL's primary message, cut before any quoted value — and the stack trace
 * goes to debug.
 */
public final class DatabaseErrors {
    private static final int MAX_MESSAGE = 200;

    private DatabaseErrors() {
    }

    /** Makes Jdbi leave statements and arguments out of its exception messages, wherever they end up. */
    public static void keepStatementsOutOfMessages(Jdbi jdbi) {
        jdbi.getConfig(StatementExceptions.class).setMessageRendering(StatementExceptions.MessageRendering.NONE);
    }

    /** True when {@code error} or one of its causes came from Jdbi or the JDBC driver. */
    public static boolean isDatabaseFailure(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof JdbiException || t instanceof SQLException) {
                return true;
            }
        }
        return false;
    }

    /**
     * True when the database could not be reached or refused work for now (no connection, shutting
     * down, too many connections): worth a 503 and a retry, not a 500.
     */
    public static boolean isUnavailable(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof ConnectionException) {
                return true;
            }
        }
        String state = sqlState(error);
        return state.startsWith("08") || state.startsWith("53") || state.startsWith("57P");
    }

    /** One line for the log: {@code database error 42P01 (UnableToExecuteStatementException): relation "x" does not exist}. */
    public static String describe(Throwable error) {
        Optional<SQLException> sql = sqlCause(error);
        String state = sqlState(error);
        return "database error " + (state.isEmpty() ? "without SQLState" : state) + " ("
                + error.getClass().getSimpleName() + "): " + sql.map(DatabaseErrors::shortMessage).orElse("no detail");
    }

    /** Logs a failure at warn: a database failure as one safe line (stack trace at debug), anything else in full. */
    public static void warn(Logger log, String what, Throwable error) {
        if (isDatabaseFailure(error)) {
            log.warn("{}: {}", what, describe(error));
            log.debug("{}", what, error);
        } else {
            log.warn("{}", what, error);
        }
    }

    /** Like {@link #warn}, at error. */
    public static void error(Logger log, String what, Throwable error) {
        if (isDatabaseFailure(error)) {
            log.error("{}: {}", what, describe(error));
            log.debug("{}", what, error);
        } else {
            log.error("{}", what, error);
        }
    }

    private static Optional<SQLException> sqlCause(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                return Optional.of(sql);
            }
        }
        return Optional.empty();
    }

    private static String sqlState(Throwable error) {
        return sqlCause(error).map(SQLException::getSQLState).orElse("");
    }

    /**
     * PostgreSQL's primary message without its detail, hint, position or context lines, cut at the
     * first ": " — PostgreSQL puts the offending value there ({@code invalid input syntax for type
     * uuid: "..."}) — and capped.
     */
    private static String shortMessage(SQLException sql) {
        String message = sql instanceof PSQLException psql && psql.getServerErrorMessage() != null
                ? psql.getServerErrorMessage().getMessage() : sql.getMessage();
        if (message == null) {
            return "no message";
        }
        message = message.lines().findFirst().orElse("");
        int colon = message.indexOf(": ");
        if (colon >= 0) {
            message = message.substring(0, colon);
        }
        return message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE) + "..." : message;
    }
}
