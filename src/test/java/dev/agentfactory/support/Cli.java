package dev.agentfactory.support;

import dev.agentfactory.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code java -jar agent-factory.jar ...} in this JVM: the exit code and what it printed. */
public final class Cli {
    private Cli() {
    }

    public record Run(int exitCode, String output) {
        @Override
        public String toString() {
            return "exit " + exitCode + ":\n" + output;
        }
    }

    public static synchronized Run run(String... args) {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            int code = Main.commandLine().execute(args);
            return new Run(code, captured.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(original);
        }
    }

    /** {@code rules publish DIR} against {@code server}'s database, with its audit key, as {@code by}. */
    public static Run publish(TestServer server, Path dir, String by, String... more) {
        List<String> args = new ArrayList<>(List.of("rules", "publish", dir.toString(),
                "--db-url", server.config().dbUrl().orElseThrow(), "--db-user", server.config().dbUser(),
                "--db-password", server.config().dbPassword(), "--data-dir", server.config().dataDir().toString(),
                "--by", by));
        args.addAll(List.of(more));
        return run(args.toArray(String[]::new));
    }
}
