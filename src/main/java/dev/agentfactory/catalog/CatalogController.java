package dev.agentfactory.catalog;

import dev.agentfactory.auth.Role;
import dev.agentfactory.blueprint.AccessLevel;
import dev.agentfactory.blueprint.ActionScope;
import dev.agentfactory.blueprint.IndustryProfile;
import dev.agentfactory.blueprint.OverrideMode;
import dev.agentfactory.blueprint.TriggerMode;
import dev.agentfactory.blueprint.ValidationIntensity;
import dev.agentfactory.rules.ActiveBundle;
import dev.agentfactory.rules.Catalog;
import dev.agentfactory.rules.PolicyEngine;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code GET /api/catalog}: what a blueprint may say — the action types and context types the live
 * bundle's catalog rules know, and every enum with a one-line meaning — so nobody has to read
 * {@code rules/catalog/*.drl} to write a blueprint.
 */
public final class CatalogController {
    private final PolicyEngine policy;

    public CatalogController(PolicyEngine policy) {
        this.policy = policy;
    }

    public void routes(JavalinConfig config) {
        config.routes.get("/api/catalog", this::catalog, Role.ANY);
    }

    /** The catalog's answer. */
    public record CatalogView(String bundleVersion, List<ActionTypeView> actionTypes, List<String> contextTypes,
                              Map<String, List<Choice>> enums) {
    }

    public record ActionTypeView(String name, ActionScope scope, String scopeMeaning) {
    }

    /** One value of an enum field of a blueprint, with what choosing it means. */
    public record Choice(String value, String meaning) {
    }

    private void catalog(Context ctx) {
        ActiveBundle bundle = policy.active();
        Catalog catalog = bundle.built().catalog();
        Map<String, List<Choice>> enums = new LinkedHashMap<>();
        enums.put("triggerConfig.mode", choices(TriggerMode.values(), TriggerMode::meaning));
        enums.put("contextConfig.accessLevel", choices(AccessLevel.values(), AccessLevel::meaning));
        enums.put("actionConfig.maxAllowedScope", choices(ActionScope.values(), ActionScope::meaning));
        enums.put("actionConfig.overrideMode", choices(OverrideMode.values(), OverrideMode::meaning));
        enums.put("validationConfig.intensity", choices(ValidationIntensity.values(), ValidationIntensity::meaning));
        enums.put("industryProfile", choices(IndustryProfile.values(), IndustryProfile::meaning));
        ctx.json(new CatalogView(bundle.version(), catalog.actionTypes().stream()
                .map(a -> new ActionTypeView(a.name(), a.scope(), a.scope().meaning())).toList(),
                catalog.contextTypes(), enums));
    }

    private static <E extends Enum<E>> List<Choice> choices(E[] values, Function<E, String> meaning) {
        return Arrays.stream(values).map(v -> new Choice(v.name(), meaning.apply(v))).toList();
    }
}
