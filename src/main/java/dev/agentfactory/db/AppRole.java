package dev.agentfactory.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The database role the server works as, so that not even the server's own statements can rewrite
 * history: it may read and write what the server needs, but not update, delete or truncate the audit
 * trail, its seals and key epochs, blueprint versions or the migration history. Set up at every start
 * by the owner login (after the migrations, so new tables are covered), then every connection of the
 * server switches to it with {@code SET ROLE}.
 */
final class AppRole {
    /** Append-only tables: the server inserts into them, never changes them. */
    private static final String HISTORY = "audit_log, audit_seals, audit_keys, blueprint_versions, policy_bundles, "
            + "policy_bundle_files, policy_bundle_activations";

    private AppRole() {
    }

    static String setRole(String role) {
        return "set role " + quoted(role);
    }

    /**
     * Creates the role if it is missing (roles are cluster-wide: another server may create it at the
     * same moment), lets the owner switch to it and grants it the schema in use. Instances starting
     * together take turns through an advisory lock.
     */
    static void ensure(Connection owner, String role) throws SQLException {
        owner.setAutoCommit(true);
        if (!exists(owner, role)) {
            try (Statement statement = owner.createStatement()) {
                statement.execute("create role " + quoted(role) + " nologin");
            } catch (SQLException e) {
                if (!"42710".equals(e.getSQLState()) && !"23505".equals(e.getSQLState())) {
                    throw e;
                }
            }
        }
        owner.setAutoCommit(false);
        try (Statement statement = owner.createStatement()) {
            statement.execute("select pg_advisory_xact_lock(hashtext('agent-factory-app-role'))");
            refuseIfPrivileged(owner, role);
            if (!isMember(owner, role)) {
                statement.execute("grant " + quoted(role) + " to current_user");
            }
            String schema = schema(owner);
            statement.execute("grant usage on schema " + schema + " to " + quoted(role));
            statement.execute("grant select, insert, update, delete on all tables in schema " + schema + " to "
                    + quoted(role));
            // nextval needs usage only; update would let the role setval the audit id sequence and block
            // every audited write with duplicate keys
            statement.execute("revoke update on all sequences in schema " + schema + " from " + quoted(role));
            statement.execute("grant usage, select on all sequences in schema " + schema + " to " + quoted(role));
            statement.execute("revoke update, delete, truncate on " + HISTORY + " from " + quoted(role));
            statement.execute("revoke insert, update, delete, truncate on flyway_schema_history from " + quoted(role));
            owner.commit();
        } catch (SQLException | RuntimeException e) {
            owner.rollback();
            throw e;
        } finally {
            owner.setAutoCommit(true);
        }
    }

    /** A role that is a superuser, or inherits the owner's rights, would make all of this moot. */
    private static void refuseIfPrivileged(Connection owner, String role) throws SQLException {
        try (PreparedStatement query = owner.prepareStatement("""
                select r.rolsuper or r.rolbypassrls or pg_has_role(r.oid, c.relowner, 'USAGE')
                  from pg_roles r, pg_class c
                 where r.rolname = ? and c.oid = 'audit_log'::regclass
                """)) {
            query.setString(1, role);
            try (ResultSet rs = query.executeQuery()) {
                if (rs.next() && rs.getBoolean(1)) {
                    throw new IllegalStateException("the database role " + role + " is a superuser or has the rights of "
                            + "the tables' owner, so it could rewrite the audit trail: choose another AF_DB_APP_ROLE");
                }
            }
        }
    }

    private static boolean exists(Connection owner, String role) throws SQLException {
        try (PreparedStatement query = owner.prepareStatement("select 1 from pg_roles where rolname = ?")) {
            query.setString(1, role);
            try (ResultSet rs = query.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static boolean isMember(Connection owner, String role) throws SQLException {
        try (PreparedStatement query = owner.prepareStatement("select pg_has_role(current_user, ?, 'MEMBER')")) {
            query.setString(1, role);
            try (ResultSet rs = query.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    private static String schema(Connection owner) throws SQLException {
        try (Statement statement = owner.createStatement();
             ResultSet rs = statement.executeQuery("select quote_ident(current_schema())")) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** Config only lets lower-case SQL names through; quoting is belt and braces. */
    private static String quoted(String role) {
        return '"' + role.replace("\"", "\"\"") + '"';
    }
}
