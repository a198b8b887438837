package dev.agentfactory.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.agentfactory.rules.HistoryWindow;
import dev.agentfactory.rules.model.ProposedAction;
import dev.agentfactory.rules.model.RecentActions;
import dev.agentfactory.support.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The counts history windows read (V21) against the decisions themselves, on a real database: the
 * trigger on every write path, the backfill of a type's earlier decisions, the window edges.
 * Each test counts its own action type, so what the database already counts does not matter.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HistoryCountsTest {
    private static final List<String> STATUSES = List.of("EXECUTE", "PENDING_APPROVAL", "APPROVED", "REJECTED",
            "EXPIRED");
    private static final int[] HOURS = {1, 2, 5, 23, 24, 48};
    private TestServer server;
    private Jdbi jdbi;
    private HistoryFacts facts;

    @BeforeAll
    void start() {
        server = TestServer.start("history-counts");
        jdbi = server.jdbi();
        facts = new HistoryFacts(jdbi);
    }

    @AfterAll
    void stop() {
        server.close();
    }

    private static String type() {
        return "Counted" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    private UUID decide(UUID organization, UUID agent, String type, String contact, String status, int minutesAgo,
                        Object amount) {
        UUID id = UUID.randomUUID();
        String input = dev.agentfactory.web.Json.write(Map.of("actionType", type, "payload",
                amount == null ? Map.of() : Map.of("amount", amount)));
        jdbi.useHandle(h -> h.createUpdate("""
                insert into decisions (id, organization_id, agent_id, deployment_id, blueprint_version, rule_set_version,
                                       action_type, scope, decision, status, risk_score, confidence, contact_id, reasons,
                                       rules_fired, input, created_at)
                values (:id, :org, :agent, gen_random_uuid(), 1, 'test', :type, 'INTERNAL', 'EXECUTE', :status, 0, 0.9,
                        :contact, '[]', '[]', cast(:input as jsonb), now() - make_interval(mins => :minutes))
                """).bind("id", id).bind("org", organization).bind("agent", agent).bind("type", type)
                .bind("status", status).bind("contact", contact).bind("input", input).bind("minutes", minutesAgo)
                .execute());
        return id;
    }

    private List<RecentActions> read(UUID organization, UUID agent, String contact, List<HistoryWindow> windows) {
        facts.countFromNowOn(windows);
        return jdbi.withHandle(h -> HistoryFacts.read(h, organization, agent,
                new ProposedAction("X", 0.9, contact, List.of(), null, Map.of(), Map.of(), null), windows, false));
    }

    /** What a window must say: the decisions themselves, from the start of the minute {@code hours} ago. */
    private static long[] truth(org.jdbi.v3.core.Handle h, UUID agent, String type, String contact, int hours) {
        return h.createQuery("""
                select count(*) as n, coalesce(sum(history_amount(coalesce(approved_input, input))), 0) as a
                  from decisions
                 where agent_id = :agent and (:type = '*' or action_type = :type)
                   and (cast(:contact as text) is null or contact_id = :contact)
                   and status in ('EXECUTE', 'APPROVED', 'PENDING_APPROVAL')
                   and created_at >= date_trunc('minute', now() - make_interval(hours => :hours), 'UTC')
                """).bind("agent", agent).bind("type", type).bind("contact", contact).bind("hours", hours)
                .map((rs, ctx) -> new long[] {rs.getLong("n"), Math.round(rs.getDouble("a"))}).one();
    }

    @Test
    @Order(1)
    void decisions_made_before_a_type_was_counted_are_counted_when_a_window_first_needs_it() {
        UUID org = UUID.randomUUID();
        UUID agent = UUID.randomUUID();
        String type = type();
        decide(org, agent, type, "c-1", "EXECUTE", 30, 100);
        decide(org, agent, type, "c-1", "PENDING_APPROVAL", 120, 50);
        decide(org, agent, type, "c-2", "APPROVED", 300, 7);
        decide(org, agent, type, "c-1", "REJECTED", 10, 1000);
        decide(org, agent, type, "c-1", "EXECUTE", 25 * 60, 1000);
        decide(org, agent, type(), "c-1", "EXECUTE", 10, 1000);

        List<RecentActions> seen = read(org, agent, "c-1", List.of(new HistoryWindow("agent", type, 24),
                new HistoryWindow("contact", type, 24), new HistoryWindow("contact", type, 1)));

        assertEquals(new RecentActions("agent", type, 24, 3, 157), seen.get(0));
        assertEquals(new RecentActions("contact", type, 24, 2, 150), seen.get(1));
        assertEquals(new RecentActions("contact", type, 1, 1, 100), seen.get(2));
    }

    @Test
    @Order(2)
    void outcomes_and_edits_move_the_counts_as_they_happen() {
        UUID org = UUID.randomUUID();
        UUID agent = UUID.randomUUID();
        String type = type();
        List<HistoryWindow> day = List.of(new HistoryWindow("agent", type, 24));
        assertEquals(0, read(org, agent, null, day).get(0).count(), "counted from now on");

        UUID waiting = decide(org, agent, type, "c-1", "PENDING_APPROVAL", 5, 400);
        UUID other = decide(org, agent, type, "c-1", "PENDING_APPROVAL", 5, 600);
        assertEquals(new RecentActions("agent", type, 24, 2, 1000), read(org, agent, null, day).get(0));

        jdbi.useHandle(h -> h.execute("update decisions set approved_input = jsonb_set(input, '{payload}', "
                + "'{\"amount\": 250}') where id = ?", waiting));
        jdbi.useHandle(h -> h.execute("update decisions set status = 'APPROVED' where id = ?", waiting));
        assertEquals(new RecentActions("agent", type, 24, 2, 850), read(org, agent, null, day).get(0),
                "the approver's edit is what counts");

        jdbi.useHandle(h -> h.execute("update decisions set status = 'EXPIRED' where id = ?", other));
        assertEquals(new RecentActions("agent", type, 24, 1, 250), read(org, agent, null, day).get(0),
                "what expired did not happen");
    }

    @Test
    @Order(3) // counts every type (*) from then on
    void every_window_reads_what_the_decisions_say_at_every_age_and_status() {
        UUID org = UUID.randomUUID();
        UUID agent = UUID.randomUUID();
        String first = type();
        String second = type();
        Random random = new Random(17);
        List<String> contacts = List.of("c-1", "c-2", "c-3");
        // half before the types are counted (backfilled), half after (the trigger)
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < 150; i++) {
                int minutes = random.nextInt(50 * 60);
                decide(org, agent, random.nextBoolean() ? first : second, contacts.get(random.nextInt(3)),
                        STATUSES.get(random.nextInt(STATUSES.size())), minutes,
                        random.nextInt(4) == 0 ? "not a number" : random.nextInt(1000));
            }
            for (int hours : HOURS) { // at each window's edge: the minute before, its first minute, the one after
                for (int minutes = hours * 60 - 1; minutes <= hours * 60 + 1; minutes++) {
                    decide(org, agent, round == 0 ? first : second, contacts.get(minutes % 3), "EXECUTE", minutes, 1);
                }
            }
            if (round == 0) {
                read(org, agent, "c-1", List.of(new HistoryWindow("agent", "*", 1)));
            }
        }
        for (int hours : HOURS) {
            for (String type : List.of(first, second, "*")) {
                for (String contact : contacts) {
                    int h = hours;
                    // one transaction: the same now() for the counts and the decisions
                    List<long[]> expected = new ArrayList<>();
                    List<RecentActions> seen = jdbi.inTransaction(handle -> {
                        expected.add(truth(handle, agent, type, null, h));
                        expected.add(truth(handle, agent, type, contact, h));
                        return HistoryFacts.read(handle, org, agent, new ProposedAction("X", 0.9, contact, List.of(), null, Map.of(), Map.of(), null),
                                List.of(new HistoryWindow("agent", type, h), new HistoryWindow("contact", type, h)), false);
                    });
                    long[] all = expected.get(0);
                    long[] one = expected.get(1);
                    String where = type + " " + hours + " h " + contact;
                    assertEquals(all[0], seen.get(0).count(), where);
                    assertEquals(all[1], Math.round(seen.get(0).amount()), where);
                    assertEquals(one[0], seen.get(1).count(), where);
                    assertEquals(one[1], Math.round(seen.get(1).amount()), where);
                }
            }
        }
    }
}
