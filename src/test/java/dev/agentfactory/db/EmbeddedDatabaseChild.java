package dev.agentfactory.db;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentfactory.support.ChildJvm;
import java.nio.file.Path;
import java.time.Duration;

/** Runs the embedded database on the folder {@code args[0]} until killed; prints "READY <jdbc url>". */
public final class EmbeddedDatabaseChild {
    private EmbeddedDatabaseChild() {
    }

    public static void main(String[] args) throws InterruptedException {
        EmbeddedDatabase database = EmbeddedDatabase.start(Path.of(args[0]));
        System.out.println("READY " + database.jdbcUrl());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }

    /** The JDBC URL the child prints once its database runs; fails with its output if it exits first. */
    static String awaitReady(ChildJvm child) {
        await().atMost(Duration.ofSeconds(60)).until(() -> child.output().contains("READY ") || !child.isAlive());
        String output = child.output();
        assertTrue(output.contains("READY "), output);
        return output.substring(output.indexOf("READY ") + 6).lines().findFirst().orElseThrow().trim();
    }
}
