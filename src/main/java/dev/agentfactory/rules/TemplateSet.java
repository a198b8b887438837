package dev.agentfactory.rules;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The agent templates of a bundle ({@code templates/}), one drools-templates file per kind of
 * generated rule. Immutable; its version is a hash of the templates alone, so live agents are
 * compiled again only when a new bundle changes them.
 */
public record TemplateSet(Map<String, String> texts, String version, Instant loadedAt) {
    public static final String DIR = "templates";
    public static final List<String> FILES = List.of("agent-policy.drt", "agent-actions.drt", "agent-context.drt",
            "agent-triggers.drt", "agent-conditions.drt");

    public TemplateSet {
        texts = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(texts));
    }

    /**
     * Checked once per text: agents are compiled from the same templates many times. Keyed by the texts
     * themselves, not the version: 16 hex digits of a hash can be made to collide (about 2^32 tries),
     * and a template passed off under a vetted version would be filled in unchecked.
     */
    private static final Map<Map<String, String>, List<RuleError>> VIOLATIONS = java.util.Collections.synchronizedMap(
            Lru.map(16));

    /** What in these templates breaks the rule policy ({@link DrlPolicy#checkTemplate}); empty when nothing does. */
    public List<RuleError> policyViolations() {
        return VIOLATIONS.computeIfAbsent(texts, v -> {
            List<RuleError> errors = new java.util.ArrayList<>();
            texts.forEach((file, text) -> errors.addAll(DrlPolicy.checkTemplate(DIR + "/" + file, text)));
            return List.copyOf(errors);
        });
    }

    /** The templates of the rules folder {@code rulesDir}; a missing file reads as empty (and will not compile). */
    public static TemplateSet read(Path rulesDir) {
        return Bundle.read(rulesDir).templateSet();
    }

    /** @param texts the text of each of {@link #FILES}, by file name */
    public static TemplateSet of(Map<String, String> texts) {
        return new TemplateSet(texts, hash(texts), Instant.now());
    }

    private static String hash(Map<String, String> texts) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            texts.forEach((file, text) -> {
                digest.update(file.getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
                digest.update(text.getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
            });
            return HexFormat.of().formatHex(digest.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
