package dev.agentfactory.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A private copy of the shipped rules folder, for tests that edit rules. */
public final class RulesFolder {
    private RulesFolder() {
    }

    /** A copy in a folder of its own ({@code <temp>/rules}), so what the server keeps beside it (templates/) is its own too. */
    public static Path copyOfShipped() {
        Path target = TestServer.tempDir("af-rules").resolve("rules");
        try {
            dev.agentfactory.rules.FolderCopy.copy(Path.of("rules"), target);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return target;
    }

    /** Writes a file the way an editor does: to a temporary name, then moved into place. */
    public static void write(Path file, String content) {
        try {
            Files.createDirectories(file.getParent());
            Path temporary = file.resolveSibling(file.getFileName() + ".swp~");
            Files.writeString(temporary, content);
            Files.move(temporary, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A blueprint rule that never fires and that no other test has (its text holds {@code label} and the
     * time), so the bundle it is saved in is a version nothing else in this JVM has built.
     */
    public static String ruleOfItsOwn(String label) {
        return """
                package blueprint.ofitsown;
                import dev.agentfactory.rules.model.*;

                rule "BP-OWN-1 a rule of one test only"
                    @tier(3) @severity("INFO") @description("makes a version no other test builds")
                when
                    BlueprintFact( name == "%s %d" )
                then
                    insert(Results.finding(drools, "never", "name"));
                end
                """.formatted(label, System.nanoTime());
    }
}
