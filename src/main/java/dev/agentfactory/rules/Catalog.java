package dev.agentfactory.rules;

import dev.agentfactory.blueprint.ActionScope;
import dev.agentfactory.rules.model.ActionScopeFact;
import dev.agentfactory.rules.model.ActionTypeFact;
import dev.agentfactory.rules.model.ContextTypeFact;
import dev.agentfactory.rules.model.KnownContextType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The action types and context types a bundle's catalog rules know, read from the rules themselves:
 * every string literal in {@code catalog/*.drl} is a candidate, and the compiled rules say which
 * candidates they classify (and how). A compliance edit of the catalog shows up here with the bundle.
 */
public record Catalog(List<ActionType> actionTypes, List<String> contextTypes) {
    public Catalog {
        actionTypes = List.copyOf(actionTypes);
        contextTypes = List.copyOf(contextTypes);
    }

    public record ActionType(String name, ActionScope scope) {
    }

    static final String DIR = "catalog/";

    static Catalog of(Map<String, String> files, RuleSet rules) {
        TreeSet<String> candidates = new TreeSet<>();
        files.forEach((path, text) -> {
            if (path.startsWith(DIR) && path.endsWith(".drl")) {
                for (DrlTokens.Token token : DrlTokens.lex(text).tokens()) {
                    if (token.kind() == DrlTokens.Kind.STRING && token.text().matches("[A-Za-z][A-Za-z0-9_.-]{0,199}")) {
                        candidates.add(token.text());
                    }
                }
            }
        });
        List<Object> facts = new ArrayList<>();
        candidates.forEach(name -> {
            facts.add(new ActionTypeFact(name));
            facts.add(new ContextTypeFact(name));
        });
        RuleRun run = RuleRun.execute(rules.sessions(), facts);
        List<ActionType> actions = run.results(ActionScopeFact.class).stream().filter(ActionScopeFact::known)
                .map(s -> new ActionType(s.actionType(), s.scope())).distinct()
                .sorted(Comparator.comparing(ActionType::scope).thenComparing(ActionType::name)).toList();
        List<String> contexts = run.results(KnownContextType.class).stream().map(KnownContextType::name)
                .distinct().sorted().toList();
        return new Catalog(actions, contexts);
    }
}
