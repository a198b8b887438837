package dev.agentfactory.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs wrk (from Debian's packages) with a POST body and reads its throughput and latency percentiles. */
final class Wrk {
    record Result(double requestsPerSecond, double p50Ms, double p99Ms, long requests, long non2xx, String raw) {
        @Override
        public String toString() {
            return String.format("%.0f req/s, p50 %.2f ms, p99 %.2f ms (%d requests, %d non-2xx)", requestsPerSecond,
                    p50Ms, p99Ms, requests, non2xx);
        }
    }

    static Result run(String url, String token, String body, int connections, int seconds) throws Exception {
        return run(url, token, body, connections, seconds, "");
    }

    /**
     * Requests at about {@code rate} per second in all: every connection waits a random, exponentially
     * distributed time before each request (arrivals like independent clients, never in lock-step),
     * so latency is measured below saturation. With many connections the wait dwarfs the answer
     * time and the rate achieved is close to the one asked for; the result says what was achieved.
     */
    static Result paced(String url, String token, String body, int connections, int seconds, double rate)
            throws Exception {
        double meanMillis = connections * 1000.0 / rate;
        return run(url, token, body, connections, seconds, """
                local counter = 0
                function setup(thread)
                    counter = counter + 1
                    thread:set("seed", counter)
                end
                function init(args)
                    math.randomseed(os.time() * 1000 + seed)
                end
                function delay()
                    return -math.log(1 - math.random()) * %.3f
                end
                """.formatted(meanMillis));
    }

    /**
     * Requests to several agents in turn, each with its own token: {@code agents} holds
     * {@code {path, token}} pairs, {@code base} the server's address.
     */
    static Result rotating(String base, List<String[]> agents, String body, int connections, int seconds)
            throws Exception {
        StringBuilder table = new StringBuilder("local agents = {");
        for (String[] agent : agents) {
            table.append("{path = \"").append(agent[0]).append("\", token = \"").append(agent[1]).append("\"},");
        }
        table.append("}\n");
        return run(base, agents.get(0)[1], body, connections, seconds, table + """
                local next = 0
                function request()
                    next = next % #agents + 1
                    local agent = agents[next]
                    return wrk.format("POST", agent.path, {["Content-Type"] = "application/json",
                        ["Authorization"] = "Bearer " .. agent.token}, wrk.body)
                end
                """);
    }

    private static Result run(String url, String token, String body, int connections, int seconds, String extra)
            throws Exception {
        Path script = Files.createTempFile("wrk", ".lua");
        Files.writeString(script, """
                wrk.method = "POST"
                wrk.body = [==[%s]==]
                wrk.headers["Content-Type"] = "application/json"
                wrk.headers["Authorization"] = "Bearer %s"
                """.formatted(body, token) + extra);
        List<String> command = new ArrayList<>(List.of("wrk", "-t" + Math.min(2, connections), "-c" + connections,
                "-d" + seconds + "s",
                "--latency", "-s", script.toString(), url));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        process.waitFor();
        return new Result(number(output, "Requests/sec:\\s+([\\d.]+)"), millis(output, "50%"), millis(output, "99%"),
                (long) number(output, "(\\d+) requests in"),
                (long) ToolOutput.numberOr(output, "Non-2xx or 3xx responses: (\\d+)", 0),
                output);
    }

    private static double millis(String output, String percentile) {
        Matcher m = Pattern.compile(percentile + "\\s+([\\d.]+)(us|ms|s)").matcher(output);
        if (!m.find()) {
            return Double.NaN;
        }
        double value = Double.parseDouble(m.group(1));
        return switch (m.group(2)) {
            case "us" -> value / 1000;
            case "s" -> value * 1000;
            default -> value;
        };
    }

    private static double number(String output, String regex) throws IOException {
        return ToolOutput.number("wrk", output, regex);
    }
}
