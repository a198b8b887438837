package dev.agentfactory.blueprint;

import static dev.agentfactory.blueprint.BlueprintStatus.Active;
import static dev.agentfactory.blueprint.BlueprintStatus.Deploying;
import static dev.agentfactory.blueprint.BlueprintStatus.Deprecated;
import static dev.agentfactory.blueprint.BlueprintStatus.Draft;
import static dev.agentfactory.blueprint.BlueprintStatus.Failed;
import static dev.agentfactory.blueprint.BlueprintStatus.Paused;
import static dev.agentfactory.blueprint.BlueprintStatus.ReadyForDeployment;
import static dev.agentfactory.blueprint.BlueprintStatus.Validating;
import static dev.agentfactory.blueprint.BlueprintStatus.ValidationFailed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.EnumSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The life of a blueprint, as the one table every status change goes through allows it. */
class BlueprintStatusTest {

    @Test
    void every_status_moves_only_where_its_life_goes() {
        assertMoves(Draft, Validating, ValidationFailed, Deploying, Deprecated);
        assertMoves(Validating, Draft, ReadyForDeployment, ValidationFailed, Deploying, Deprecated);
        assertMoves(ValidationFailed, Draft, Validating, Deploying, Deprecated);
        assertMoves(ReadyForDeployment, Draft, Validating, ValidationFailed, Deploying, Deprecated);
        assertMoves(Failed, Draft, Validating, ValidationFailed, Deploying, Deprecated);
        assertMoves(Deploying, Active, Paused, Failed);
        assertMoves(Active, Paused, ReadyForDeployment);
        assertMoves(Paused, Active, ReadyForDeployment, Failed);
        assertMoves(Deprecated);
    }

    @Test
    void an_illegal_move_is_a_409_naming_both_statuses() {
        IllegalTransitionException refused = assertThrows(IllegalTransitionException.class,
                () -> Active.transition(Deprecated));
        assertEquals(409, refused.status());
        assertEquals("a blueprint that is Active cannot become Deprecated", refused.getMessage());
        assertThrows(IllegalTransitionException.class, () -> Draft.transition(Active));
        assertThrows(IllegalTransitionException.class, () -> Deprecated.transition(Draft));
        assertEquals(Paused, Active.transition(Paused));
        assertEquals(Active, Active.transition(Active), "staying is no change");
    }

    @Test
    void an_edit_sends_an_undeployed_blueprint_back_to_draft_and_leaves_a_deployed_one_running() {
        for (BlueprintStatus status : EnumSet.of(Draft, Validating, ValidationFailed, ReadyForDeployment, Failed)) {
            assertEquals(Draft, status.afterEdit(), status.name());
        }
        for (BlueprintStatus status : EnumSet.of(Deploying, Active, Paused)) {
            assertEquals(status, status.afterEdit(), status.name());
        }
    }

    private static void assertMoves(BlueprintStatus from, BlueprintStatus... to) {
        Set<String> allowed = EnumSet.allOf(BlueprintStatus.class).stream()
                .filter(target -> target != from && from.canMoveTo(target))
                .map(Enum::name).collect(Collectors.toCollection(TreeSet::new));
        Set<String> expected = java.util.Arrays.stream(to).map(Enum::name).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(expected, allowed, from.name());
    }
}
