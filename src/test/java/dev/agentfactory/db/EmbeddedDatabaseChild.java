package dev.agentfactory.db;

import java.nio.file.Path;

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
}
