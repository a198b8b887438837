package dev.agentfactory.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentfactory.Config;
import dev.agentfactory.support.RulesFolder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RulesWarmUpTest {

    @Test
    void a_built_bundle_runs_its_action_cases_again_for_the_warm_up_before_it_is_handed_out() {
        Bundle shipped = Bundle.read(Path.of("rules"));
        long started = System.nanoTime();
        BundleBuilder.Result result = new BundleBuilder(Duration.ofMillis(400)).build(shipped);
        long millis = (System.nanoTime() - started) / 1_000_000;

        BuiltBundle built = assertInstanceOf(BundleBuilder.Built.class, result).bundle();
        assertTrue(built.warmUpRounds() >= 1, "rounds: " + built.warmUpRounds());
        assertTrue(built.warmUpRounds() == BundleBuilder.WARM_UP_ROUNDS || millis >= built.millis() + 400,
                millis + " ms in all, " + built.millis() + " ms to build, " + built.warmUpRounds() + " rounds");
    }

    @Test
    void only_the_first_bundle_an_engine_serves_warms_up_not_one_that_replaces_it_under_load() throws Exception {
        PolicyEngine engine = new PolicyEngine(new BundleBuilder(Duration.ofMillis(300)), null);
        Path folder = RulesFolder.copyOfShipped();
        Files.writeString(folder.resolve("blueprint/warm-up-probe.drl"), RulesFolder.ruleOfItsOwn("first"));
        BuiltBundle first = assertInstanceOf(BundleBuilder.Built.class,
                engine.build(Bundle.read(folder), "start-up")).bundle();
        engine.serve(first, "a test", "start-up");

        Files.writeString(folder.resolve("blueprint/warm-up-probe.drl"), RulesFolder.ruleOfItsOwn("second"));
        BuiltBundle second = assertInstanceOf(BundleBuilder.Built.class,
                engine.build(Bundle.read(folder), "file change")).bundle();

        assertTrue(first.warmUpRounds() >= 1, "the first bundle, before the server is ready: " + first.warmUpRounds());
        assertEquals(0, second.warmUpRounds(), "a reload takes no CPU from the decisions for a warm-up");
    }

    @Test
    void the_warm_up_stops_after_its_rounds_however_long_it_may_take() {
        long started = System.nanoTime();
        BuiltBundle built = assertInstanceOf(BundleBuilder.Built.class,
                new BundleBuilder(Duration.ofSeconds(60)).build(Bundle.read(Path.of("rules")))).bundle();
        long seconds = (System.nanoTime() - started) / 1_000_000_000;

        assertEquals(BundleBuilder.WARM_UP_ROUNDS, built.warmUpRounds());
        assertTrue(seconds < 50, "took " + seconds + " s");
    }

    @Test
    void without_a_warm_up_a_bundle_is_handed_out_as_soon_as_its_tests_pass() {
        BuiltBundle built = assertInstanceOf(BundleBuilder.Built.class,
                new BundleBuilder(Duration.ZERO).build(Bundle.read(Path.of("rules")))).bundle();

        assertEquals(0, built.warmUpRounds());
    }

    @Test
    void a_negative_or_huge_warm_up_is_refused_at_start() {
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                () -> Config.defaults().withRulesWarmUp(Duration.ofMillis(-1)));
        assertTrue(negative.getMessage().contains("AF_RULES_WARM_UP_MS"), negative.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Config.defaults().withRulesWarmUp(Duration.ofMinutes(2)));
    }
}
