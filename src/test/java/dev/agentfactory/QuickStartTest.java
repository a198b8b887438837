package dev.agentfactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentfactory.rules.FolderCopy;
import dev.agentfactory.support.TestServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's quick start, run as written (bash, curl, jq) against a started server: every command
 * must succeed and print exactly the {@code # =>} lines the README shows.
 */
class QuickStartTest {
    private static final String MARKER = "<!-- quick-start:";
    private static final String BASE = "BASE=http://localhost:8080";

    @TempDir
    Path workDir;

    @Test
    void the_readme_quick_start_runs_and_prints_what_it_says() throws Exception {
        List<String> block = quickStartBlock();
        List<String> expected = block.stream().filter(l -> l.startsWith("# => ")).map(l -> l.substring(5)).toList();
        assertTrue(block.contains(BASE), "the block sets " + BASE);
        assertTrue(expected.containsAll(List.of("EXECUTE", "approved")), "one action executed, one approved");

        try (TestServer server = TestServer.start("quickstart")) {
            Files.createDirectories(workDir.resolve("data"));
            Files.writeString(workDir.resolve("data/admin-token"), TestServer.ADMIN_TOKEN);
            FolderCopy.copy(Path.of("examples"), workDir.resolve("examples"));
            String script = "set -euo pipefail\n" + String.join("\n", block)
                    .replace(BASE, "BASE=" + server.url("")) + "\n";

            Process bash = new ProcessBuilder("bash", "-c", script).directory(workDir.toFile()).start();
            bash.getOutputStream().close();
            assertTrue(bash.waitFor(120, TimeUnit.SECONDS), "the quick start did not finish in 2 minutes");
            String out = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(bash.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);

            assertEquals(0, bash.exitValue(), "the quick start failed:\n" + out + "\n" + err);
            assertEquals(expected, out.lines().toList(), err);
        }
    }

    private static List<String> quickStartBlock() throws IOException {
        List<String> readme = Files.readAllLines(Path.of("README.md"));
        int marker = 0;
        while (!readme.get(marker).startsWith(MARKER)) {
            marker++;
        }
        int open = marker + 1;
        assertEquals("```bash", readme.get(open), "the marker is followed by a bash block");
        int close = open + 1;
        while (!readme.get(close).equals("```")) {
            close++;
        }
        return readme.subList(open + 1, close);
    }
}
