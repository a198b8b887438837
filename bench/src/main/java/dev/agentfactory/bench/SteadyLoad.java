package dev.agentfactory.bench;

import java.io.IOException;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A load at a fixed rate with hey (from Debian's packages): 16 workers, each paced to its share
 * of the rate. A Java client on these two cores took more CPU than the server and fell behind its
 * own schedule; hey does not. Latency is per request: a worker whose answer comes late sends its
 * next request late, so the rate achieved is printed next to the rate asked for.
 */
final class SteadyLoad {
    private static final int WORKERS = 16;

    record Result(int rate, double achieved, long ok, long failed, double p50Ms, double p95Ms, double p99Ms) {
        @Override
        public String toString() {
            return String.format("steady %d req/s asked, %.0f req/s achieved: %d answered 200, %d failed,"
                    + " latency p50 %.2f ms, p95 %.2f ms, p99 %.2f ms", rate, achieved, ok, failed, p50Ms, p95Ms, p99Ms);
        }
    }

    static Result run(String url, String token, String body, int rate, int seconds) throws Exception {
        List<String> command = List.of("hey", "-z", seconds + "s", "-c", String.valueOf(WORKERS),
                "-q", String.format("%.2f", (double) rate / WORKERS), "-m", "POST", "-T", "application/json",
                "-H", "Authorization: Bearer " + token, "-d", body, url);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        process.waitFor();
        long ok = (long) ToolOutput.numberOr(output, "\\[200\\]\\s+(\\d+) responses", 0);
        long all = sum(output, "\\[\\d+\\]\\s+(\\d+) responses") + sum(output, "\\[(\\d+)\\]\\s+[A-Za-z]");
        return new Result(rate, number(output, "Requests/sec:\\s+([\\d.]+)"), ok, all - ok,
                seconds(output, "50%"), seconds(output, "95%"), seconds(output, "99%"));
    }

    private static double seconds(String output, String percentile) throws IOException {
        return number(output, percentile + " in ([\\d.]+) secs") * 1000;
    }

    private static double number(String output, String regex) throws IOException {
        return ToolOutput.number("hey", output, regex);
    }

    private static long sum(String output, String regex) {
        Matcher m = Pattern.compile(regex).matcher(output);
        long total = 0;
        while (m.find()) {
            total += Long.parseLong(m.group(1));
        }
        return total;
    }
}
