package dev.agentfactory.rules.model;

/** Fact: the blueprint's callbackUrl and whether its host is on the server's allow-list (AF_CALLBACK_HOSTS). */
public record CallbackFact(String url, String host, boolean allowed) {
}
