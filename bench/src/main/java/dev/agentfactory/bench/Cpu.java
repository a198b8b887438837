package dev.agentfactory.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CPU time from /proc: the whole machine, the server processes named, every PostgreSQL process.
 * Ticks are USER_HZ (100 per second on Linux).
 */
record Cpu(long total, long idle, Map<String, Long> byParty) {
    record Usage(double busyPercent, Map<String, Double> percentByParty) {
        @Override
        public String toString() {
            StringBuilder out = new StringBuilder(String.format("machine %.0f%% busy", busyPercent));
            percentByParty.forEach((party, percent) -> out.append(String.format(", %s %.0f%%", party, percent)));
            double others = busyPercent - percentByParty.values().stream().mapToDouble(Double::doubleValue).sum();
            return out.append(String.format(", the rest (wrk, this JVM, the system) %.0f%% (of all cores)",
                    others)).toString();
        }
    }

    static Cpu now(Map<String, Long> servers) throws IOException {
        String[] line = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
        long total = 0;
        for (int i = 1; i < line.length; i++) {
            total += Long.parseLong(line[i]);
        }
        long idle = Long.parseLong(line[4]) + Long.parseLong(line[5]);
        Map<String, Long> byParty = new LinkedHashMap<>();
        servers.forEach((party, pid) -> byParty.put(party, ticks(Path.of("/proc", pid.toString(), "stat"))));
        long postgres = 0;
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            for (Path process : processes.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                String text = read(process.resolve("stat"));
                if (text.contains("(postgres)")) {
                    postgres += ticks(text);
                }
            }
        }
        byParty.put("PostgreSQL", postgres);
        return new Cpu(total, idle, byParty);
    }

    /** CPU microseconds each party spent per request between {@code earlier} and now. */
    Map<String, Double> microsPerRequest(Cpu earlier, long requests) {
        Map<String, Double> micros = new LinkedHashMap<>();
        byParty.forEach((party, ticks) -> micros.put(party,
                Math.max(0, ticks - earlier.byParty.getOrDefault(party, 0L)) * 10_000.0 / Math.max(1, requests)));
        return micros;
    }

    /** A PostgreSQL backend that ended meanwhile takes its time with it: that share shows under the rest. */
    Usage since(Cpu earlier) {
        double elapsed = total - earlier.total;
        Map<String, Double> percent = new LinkedHashMap<>();
        byParty.forEach((party, ticks) -> percent.put(party,
                Math.max(0, ticks - earlier.byParty.getOrDefault(party, 0L)) * 100 / elapsed));
        return new Usage(100 * (1 - (idle - earlier.idle) / elapsed), percent);
    }

    private static long ticks(Path stat) {
        return ticks(read(stat));
    }

    /** utime + stime, the 14th and 15th fields; the name in parentheses may hold spaces. */
    private static long ticks(String stat) {
        if (stat.isEmpty()) {
            return 0;
        }
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    private static String read(Path stat) {
        try {
            return Files.readString(stat);
        } catch (IOException e) {
            return "";
        }
    }
}
