package dev.agentfactory.warmup;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentfactory.web.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.IntConsumer;

/**
 * The other half of a rehearsal: rule reloads in the copy, under its traffic, as a saved rule file is
 * reloaded under load. The copy watches a copy of the rules folder; a never-firing rule is saved there
 * again and again, and each time the copy does what a server does: it notices the file, builds the bundle
 * (rule policy, compilation, the template probe, every rule test), stores and activates it in its own
 * schema with its audit entries, and serves it. The first reload of a process otherwise runs all of that
 * on code the JIT has not compiled, or compiled for other data: a reload under load took 4 to 11 s and the
 * JIT's threads most of a core, and the first swap cost the decisions more than the next ones.
 *
 * <p>The server's own rules folder is never written. Compiled DRL packages are kept process-wide
 * ({@code CompiledPackages}), so from the second reload on each compiles only the saved file's package,
 * as a real reload does.
 */
final class RehearsalReloads {
    /** Enough for the reload path's hot code to reach the JIT's optimizing tier. */
    static final int RELOADS = 6;
    /** The saved file: in a folder of its own, so no rule of the folder is replaced. */
    static final String FILE = "rehearsal/rehearsal.drl";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** How long one reload may take before the rehearsal gives up on reloads. */
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private final Path folder;
    private final String base;
    private final String adminToken;
    private final HttpClient client = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY)
            .version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT).build();

    /**
     * @param folder the rules folder the copy watches (a copy of the server's)
     * @param base the copy's address
     */
    RehearsalReloads(Path folder, String base, String adminToken) {
        this.folder = folder;
        this.base = base;
        this.adminToken = adminToken;
    }

    /**
     * Reloads until {@link #RELOADS} are done or {@code deadline} ({@link System#nanoTime()}) has passed;
     * {@code progress} hears the count so far.
     *
     * @return why it stopped short, if it did for another reason than the time
     */
    Optional<String> run(long deadline, IntConsumer progress) throws IOException, InterruptedException {
        JsonNode status = status();
        for (int done = 0; done < RELOADS && System.nanoTime() < deadline;) {
            Files.createDirectories(folder.resolve(FILE).getParent());
            Files.writeString(folder.resolve(FILE), rule(done));
            JsonNode next = nextStatus(status);
            if (next == null) {
                return Optional.of("the copy did not serve a saved rule file within " + PATIENCE.toSeconds() + " s");
            }
            if (next.get("version").asText().equals(status.get("version").asText())) {
                return Optional.of("the copy refused the rules folder with a rule added: "
                        + next.path("lastRefusal").path("errors").path(0).path("message").asText("no reason given"));
            }
            status = next;
            progress.accept(++done);
        }
        return Optional.empty();
    }

    /** The copy's status once it serves another bundle or refused one; null when neither happened in time. */
    private JsonNode nextStatus(JsonNode before) throws IOException, InterruptedException {
        long giveUp = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() < giveUp) {
            Thread.sleep(50);
            JsonNode now = status();
            if (!now.get("version").asText().equals(before.get("version").asText())
                    || !now.path("lastRefusal").equals(before.path("lastRefusal"))) {
                return now;
            }
        }
        return null;
    }

    private JsonNode status() throws IOException, InterruptedException {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(base + "/api/rules/status"))
                .timeout(TIMEOUT).header("Authorization", "Bearer " + adminToken).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("GET /api/rules/status answered " + response.statusCode());
        }
        return Json.MAPPER.readTree(response.body());
    }

    /** A rule that never fires, in a package of its own for each save: what a compliance officer's edit makes. */
    private static String rule(int n) {
        return """
                package rehearsal.r%d;
                import dev.agentfactory.rules.model.*;

                rule "BP-REHEARSAL-%d a rule that never fires"
                    @tier(3) @severity("INFO") @description("Saved by the start-up rehearsal into its copy's rules folder")
                when
                    BlueprintFact( name == "no blueprint is called this" )
                then
                    insert(Results.finding(drools, "never", "name"));
                end
                """.formatted(n, n);
    }
}
