package dev.agentfactory.cluster;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentfactory.support.DatabaseOwner;
import dev.agentfactory.support.TestServer;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Changes recorded in a transaction reach every feed once committed, in order, even without notifications. */
class ChangeFeedTest {
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start("changefeed");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private ChangeFeed feed(List<Change> seen, String kind) {
        return new ChangeFeed(server.jdbi(), server.app().database()::newConnection).on(kind, seen::add);
    }

    @Test
    void a_committed_change_reaches_every_feed_in_order_and_a_rolled_back_one_never() {
        String kind = "test.ordered";
        List<Change> first = new CopyOnWriteArrayList<>();
        List<Change> second = new CopyOnWriteArrayList<>();
        try (ChangeFeed a = feed(first, kind).start(); ChangeFeed b = feed(second, kind).start()) {
            UUID org = UUID.randomUUID();
            server.jdbi().useTransaction(h -> ChangeLog.record(h, kind, org, "one"));
            assertThrows(IllegalStateException.class, () -> server.jdbi().useTransaction(h -> {
                ChangeLog.record(h, kind, org, "rolled back");
                throw new IllegalStateException("roll back");
            }));
            server.jdbi().useTransaction(h -> ChangeLog.record(h, kind, null, "two"));

            await().atMost(Duration.ofSeconds(3)).until(() -> first.size() == 2 && second.size() == 2);
            assertEquals(List.of("one", "two"), first.stream().map(Change::subject).toList());
            assertEquals(first, second);
            assertEquals(org, first.get(0).organizationId());
            assertTrue(first.get(0).id() < first.get(1).id());
        }
    }

    @Test
    void a_change_is_applied_within_a_second_even_when_the_listener_is_cut_off_and_reconcilers_run_after() {
        String kind = "test.backstop";
        List<Change> seen = new CopyOnWriteArrayList<>();
        AtomicInteger reconciled = new AtomicInteger();
        try (ChangeFeed feed = feed(seen, kind).onReconnect(reconciled::incrementAndGet).start()) {
            // the server's own feed and this one
            await().atMost(Duration.ofSeconds(3)).until(() -> listeners() == 2);
            DatabaseOwner.of(server).useHandle(h -> h.execute("""
                    select pg_terminate_backend(pid) from pg_stat_activity
                     where query like 'LISTEN cluster_changes%' and pid <> pg_backend_pid()
                       and datname = current_database()
                    """));
            server.jdbi().useTransaction(h -> ChangeLog.record(h, kind, null, "while cut off"));

            await().atMost(Duration.ofSeconds(3)).until(() -> seen.size() == 1);
            await().atMost(Duration.ofSeconds(5)).until(() -> reconciled.get() == 1);
            assertTrue(feed.applied() >= seen.get(0).id());
        }
    }

    @Test
    void a_feed_applies_changes_recorded_after_it_was_created_but_before_it_started() {
        String kind = "test.start";
        List<Change> seen = new CopyOnWriteArrayList<>();
        server.jdbi().useTransaction(h -> ChangeLog.record(h, kind, null, "before the feed"));
        ChangeFeed feed = feed(seen, kind);
        server.jdbi().useTransaction(h -> ChangeLog.record(h, kind, null, "while starting"));
        try (feed) {
            feed.start();
            await().atMost(Duration.ofSeconds(3)).until(() -> seen.size() == 1);
            assertEquals("while starting", seen.get(0).subject());
        }
    }

    private static long listeners() {
        return DatabaseOwner.of(server).withHandle(h -> h.createQuery("""
                select count(*) from pg_stat_activity
                 where query like 'LISTEN cluster_changes%' and datname = current_database()
                """).mapTo(Long.class).one());
    }
}
