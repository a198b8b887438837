package dev.agentfactory.db;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Base64;

/**
 * Passwords for the embedded PostgreSQL. zonky runs initdb with {@code -A trust}: every local user
 * of the machine could connect to 127.0.0.1 as the superuser and, as the database owner, mint
 * themselves an admin token. So the superuser gets a password, generated once into
 * {@code <data dir>/db-password} (mode 600, beside the admin token and the audit key), and
 * {@code pg_hba.conf} asks for it (SCRAM) on every connection, socket or TCP.
 *
 * <p>A new data folder gets the password from initdb itself ({@code --pwfile}, {@code --auth}), so it
 * never runs under trust. A folder made by an earlier version (trust) is switched right after its
 * next start: the password set, {@code pg_hba.conf} rewritten and reloaded. Either way a marker in
 * the PostgreSQL folder says so, and from then on {@code pg_hba.conf} is written again before every start.
 */
final class EmbeddedAuth {
    static final String PASSWORD_FILE = "db-password";
    static final String MARKER = "agent-factory-password-set";
    static final String PG_HBA = """
            # Written by Agent Factory at every start: the superuser's password is in <data dir>/db-password.
            local   all             all                                     scram-sha-256
            host    all             all             127.0.0.1/32            scram-sha-256
            host    all             all             ::1/128                 scram-sha-256
            """;

    private EmbeddedAuth() {
    }

    /** The superuser's password: read, or generated when the folder has none yet. */
    static String password(Path dataDir, Path pgData) {
        Path file = dataDir.resolve(PASSWORD_FILE);
        try {
            if (Files.exists(file)) {
                return Files.readString(file, StandardCharsets.UTF_8).strip();
            }
            if (Files.exists(pgData.resolve(MARKER))) {
                throw new IllegalStateException(file + " is missing, and the embedded PostgreSQL in " + pgData
                        + " takes the password that was in it: restore the file");
            }
            byte[] bytes = new byte[32];
            new SecureRandom().nextBytes(bytes);
            String password = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            Path temporary = file.resolveSibling(PASSWORD_FILE + ".tmp");
            Files.deleteIfExists(temporary);
            Files.createFile(temporary, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(temporary, password + System.lineSeparator());
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
            return password;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write " + file, e);
        }
    }

    /** Before every start (after initdb): once the password is set, only it lets anyone in. */
    static void beforeStart(Path pgData) {
        if (Files.exists(pgData.resolve(MARKER))) {
            writePgHba(pgData);
        }
    }

    /** After the first start (of a folder under trust, or a new one): sets the password and switches to it for good. */
    static void afterStart(String jdbcUrl, String password, Path pgData) {
        if (Files.exists(pgData.resolve(MARKER))) {
            return;
        }
        try (Connection connection = DriverManager.getConnection(jdbcUrl);
             Statement statement = connection.createStatement()) {
            // a utility statement takes no parameters; the password is base64url, nothing to escape
            statement.execute("alter role postgres password '" + password + "'");
            writePgHba(pgData);
            statement.execute("select pg_reload_conf()");
            Files.createFile(pgData.resolve(MARKER));
        } catch (SQLException e) {
            throw new IllegalStateException("could not set the embedded PostgreSQL's password: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the password marker in " + pgData, e);
        }
    }

    private static void writePgHba(Path pgData) {
        try {
            Files.writeString(pgData.resolve("pg_hba.conf"), PG_HBA);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + pgData.resolve("pg_hba.conf"), e);
        }
    }
}
