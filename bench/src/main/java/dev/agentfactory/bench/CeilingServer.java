package dev.agentfactory.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.agentfactory.web.Json;
import io.javalin.Javalin;
import io.javalin.json.JavalinJackson;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * The ceiling FACTS.md describes, measured in the same run as the server: a bare Javalin endpoint
 * that parses a JSON body and durably inserts a decision-sized row and an audit-sized row in one
 * transaction, through HikariCP and Jdbi. Args: JDBC URL, port, pool size.
 */
public final class CeilingServer {
    public static void main(String[] args) {
        HikariConfig hikari = new HikariConfig();
        hikari.setJdbcUrl(args[0]);
        hikari.setUsername("postgres");
        hikari.setMaximumPoolSize(Integer.parseInt(args[2]));
        Jdbi jdbi = Jdbi.create(new HikariDataSource(hikari));
        jdbi.useHandle(h -> h.execute("""
                create table if not exists ceiling_decisions (id uuid primary key, agent_id uuid, body jsonb,
                                                              created_at timestamptz default now());
                create table if not exists ceiling_audit (id bigserial primary key, entity_id text, after jsonb,
                                                          occurred_at timestamptz default clock_timestamp())
                """));
        String audit = Json.write(Map.of("padding", "x".repeat(700)));
        Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.jsonMapper(new JavalinJackson(Json.MAPPER, false));
            cfg.jetty.port = Integer.parseInt(args[1]);
            cfg.routes.post("/ceiling", ctx -> {
                Map<?, ?> body = ctx.bodyAsClass(Map.class);
                UUID id = UUID.randomUUID();
                String decision = Json.write(Map.of("input", body, "padding", "y".repeat(450)));
                jdbi.useTransaction(h -> {
                    h.createUpdate("insert into ceiling_decisions (id, agent_id, body) values (:id, :agent, cast(:body as jsonb))")
                            .bind("id", id).bind("agent", id).bind("body", decision).execute();
                    h.createUpdate("insert into ceiling_audit (entity_id, after) values (:id, cast(:after as jsonb))")
                            .bind("id", id.toString()).bind("after", audit).execute();
                });
                ctx.json(Map.of("decisionId", id, "decision", "EXECUTE"));
            });
        }).start();
    }
}
