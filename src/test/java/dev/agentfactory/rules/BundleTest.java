package dev.agentfactory.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentfactory.support.RulesFolder;
import dev.agentfactory.support.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a bundle is made of, read from a folder: the files that matter, nothing else, nothing from outside. */
class BundleTest {

    @Test
    void the_same_files_are_the_same_version_wherever_they_are_and_other_files_do_not_count() throws Exception {
        Path one = RulesFolder.copyOfShipped();
        Path two = RulesFolder.copyOfShipped();
        Files.writeString(two.resolve("README.md"), "notes for the team");
        Files.writeString(two.resolve("blueprint/security.drl~"), "an editor's backup");
        Files.writeString(two.resolve(".security.drl.swp"), "an editor's swap file");
        Files.createDirectories(two.resolve(".git"));
        Files.writeString(two.resolve(".git/config.drl"), "not a rule");
        Files.writeString(two.resolve("templates/notes.txt"), "not a template");

        Bundle a = Bundle.read(one);
        Bundle b = Bundle.read(two);

        assertEquals(a.version(), b.version());
        assertEquals(a.files().keySet(), b.files().keySet());
        assertTrue(a.files().containsKey("catalog/action-scopes.drl"));
        assertTrue(a.files().containsKey("templates/agent-policy.drt"));
        assertTrue(a.files().containsKey("tests/actions.json"));
        assertEquals(32, a.version().length());
    }

    @Test
    void the_version_covers_every_path_and_text_and_text_cannot_pass_for_a_path() {
        String base = Bundle.of(Map.of("a.drl", "x", "b.drl", "y")).version();
        assertNotEquals(base, Bundle.of(Map.of("a.drl", "x", "b.drl", "z")).version());
        assertNotEquals(base, Bundle.of(Map.of("a.drl", "x", "c.drl", "y")).version());
        assertNotEquals(base, Bundle.of(Map.of("a.drl", "x\u0000b.drl\u0000y")).version(), "NUL-separated, these were one");
    }

    @Test
    void a_file_linking_out_of_the_folder_is_refused_and_never_read() throws Exception {
        Path folder = RulesFolder.copyOfShipped();
        Path secret = TestServer.tempDir("af-outside").resolve("audit-key");
        Files.writeString(secret, "the server's secret");
        Files.createSymbolicLink(folder.resolve("tests/secret.json"), secret);
        Files.createSymbolicLink(folder.resolve("blueprint/also-security.drl"), folder.resolve("blueprint/security.drl"));

        Bundle bundle = Bundle.read(folder);

        assertTrue(bundle.files().values().stream().noneMatch(text -> text.contains("the server's secret")));
        assertEquals("tests/secret.json", bundle.problems().get(0).file());
        assertEquals("links out of the rules folder", bundle.problems().get(0).message());
        assertTrue(bundle.files().containsKey("blueprint/also-security.drl"), "a link inside the folder is a file");
        Refusal refusal = assertInstanceOf(BundleBuilder.Refused.class, new BundleBuilder().build(bundle)).refusal();
        assertEquals("files", refusal.reason());
    }

    @Test
    void text_that_is_not_utf8_or_holds_nul_and_unknown_templates_are_refused_with_their_file() throws Exception {
        Path folder = RulesFolder.copyOfShipped();
        Files.write(folder.resolve("blueprint/latin1.drl"), new byte[] {'r', 'u', 'l', 'e', ' ', (byte) 0xE9});
        Files.writeString(folder.resolve("blueprint/nul.drl"), "rule \u0000");
        Files.writeString(folder.resolve("templates/agent-actons.drt"), "a typo in the name");

        Refusal refusal = assertInstanceOf(BundleBuilder.Refused.class, new BundleBuilder().build(Bundle.read(folder)))
                .refusal();

        assertEquals("files", refusal.reason());
        assertEquals(java.util.List.of("blueprint/latin1.drl: not UTF-8 text",
                "blueprint/nul.drl: contains U+0000 (NUL): not a text file",
                "templates/agent-actons.drt: not an agent template; the templates are agent-policy.drt, "
                        + "agent-actions.drt, agent-context.drt, agent-triggers.drt, agent-conditions.drt"),
                refusal.errors().stream().map(RuleError::toString).toList());
    }

    @Test
    void a_version_is_built_once_per_process_and_warm_up_while_other_files_are_built_anew() throws Exception {
        Path folder = RulesFolder.copyOfShipped();
        Files.writeString(folder.resolve("blueprint/built-once.drl"), RulesFolder.ruleOfItsOwn("built-once"));
        Bundle bundle = Bundle.read(folder);

        BundleBuilder.Built first = assertInstanceOf(BundleBuilder.Built.class, new BundleBuilder().build(bundle));
        BundleBuilder.Built again = assertInstanceOf(BundleBuilder.Built.class,
                new BundleBuilder().build(Bundle.read(folder)));
        BundleBuilder.Built warmed = assertInstanceOf(BundleBuilder.Built.class,
                new BundleBuilder(java.time.Duration.ofMillis(50)).build(bundle));
        Files.writeString(folder.resolve("blueprint/built-once.drl"), RulesFolder.ruleOfItsOwn("built-twice"));
        BundleBuilder.Built changed = assertInstanceOf(BundleBuilder.Built.class,
                new BundleBuilder().build(Bundle.read(folder)));

        assertSame(first, again, "the same files in a second builder (a second server in this JVM) are not built again");
        assertNotSame(first, warmed, "a builder that warms up builds for itself");
        assertTrue(warmed.bundle().warmUpRounds() > 0);
        assertNotEquals(first.bundle().version(), changed.bundle().version());
        assertNotSame(first.bundle().rules(), changed.bundle().rules());
    }
}
