package dev.agentfactory.support;

import dev.agentfactory.Config;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.postgres.PostgresPlugin;

/**
 * The test server's database as its owner (the login the server migrates with), not as the role the
 * server works as: what an insider with the database password can do.
 */
public final class DatabaseOwner {
    private DatabaseOwner() {
    }

    public static Jdbi of(TestServer server) {
        Config config = server.config();
        return Jdbi.create(config.dbUrl().orElseThrow(), config.dbUser(), config.dbPassword())
                .installPlugin(new PostgresPlugin());
    }
}
