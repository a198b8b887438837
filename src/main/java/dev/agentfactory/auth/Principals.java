package dev.agentfactory.auth;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Principal names. People and agents live in separate namespaces so that an agent can never
 * pass for a person in the audit trail or in an approval: a person's name has no {@code :}, an
 * agent's is {@code agent:<name>}. {@code admin} (the bootstrap administrator) and {@code system}
 * (the server itself) are never minted.
 */
final class Principals {
    static final String AGENT_PREFIX = "agent:";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@+-]{1,100}");
    private static final Set<String> RESERVED = Set.of(Bootstrap.ADMIN_PRINCIPAL, "system");

    private Principals() {
    }

    /** Why {@code name} cannot be a person's principal, if it cannot. */
    static Optional<String> personProblem(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            return Optional.of("required: 1-100 characters of letters, digits and . _ @ + -"
                    + (name != null && name.contains(":") ? " (':' is for agents: 'agent:<name>' needs roles [\"AGENT\"])"
                    : ""));
        }
        if (RESERVED.contains(name.toLowerCase(Locale.ROOT))) {
            return Optional.of("'" + name + "' is reserved: 'admin' is the bootstrap administrator, 'system' the server");
        }
        return Optional.empty();
    }

    /** Why {@code name} cannot name an agent, if it cannot; the {@code agent:} prefix is optional. */
    static Optional<String> agentProblem(String name) {
        if (name != null && !NAME.matcher(withoutPrefix(name)).matches()) {
            return Optional.of("an agent's name is 1-100 characters of letters, digits and . _ @ + -, with or without"
                    + " the prefix 'agent:'; leave it out for 'agent:<first 8 characters of agentId>'");
        }
        return Optional.empty();
    }

    /** The principal of an AGENT token: {@code agent:<name>}, by default named after the agent's id. */
    static String agent(String name, UUID agentId) {
        return AGENT_PREFIX + (name == null ? agentId.toString().substring(0, 8) : withoutPrefix(name));
    }

    private static String withoutPrefix(String name) {
        return name.startsWith(AGENT_PREFIX) ? name.substring(AGENT_PREFIX.length()) : name;
    }
}
