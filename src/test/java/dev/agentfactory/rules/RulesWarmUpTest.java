package dev.agentfactory.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentfactory.Config;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RulesWarmUpTest {

    @Test
    void a_built_bundle_runs_its_rule_tests_again_for_the_warm_up_before_it_is_handed_out() {
        Bundle shipped = Bundle.read(Path.of("rules"));
        long started = System.nanoTime();
        BundleBuilder.Result result = new BundleBuilder(Duration.ofMillis(400)).build(shipped);
        long millis = (System.nanoTime() - started) / 1_000_000;

        BuiltBundle built = assertInstanceOf(BundleBuilder.Built.class, result).bundle();
        assertTrue(built.warmUpRounds() >= 1, "rounds: " + built.warmUpRounds());
        assertTrue(millis >= built.millis() + 400, millis + " ms in all, " + built.millis() + " ms to build");
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
