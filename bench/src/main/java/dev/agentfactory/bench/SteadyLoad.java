package dev.agentfactory.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An open-loop load at a fixed rate: requests are sent on a schedule whatever the server does,
 * and latency is measured from the scheduled time, so a slow server cannot hide its queueing.
 */
final class SteadyLoad {
    record Result(int rate, int sent, int errors, Stats latency) {
        @Override
        public String toString() {
            return String.format("steady %d req/s: %d sent, %d errors, latency %s", rate, sent, errors,
                    latency.summary("ms"));
        }
    }

    static Result run(String url, String token, String body, int rate, int seconds) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(4, r -> {
            Thread thread = new Thread(r, "steady-load");
            thread.setDaemon(true);
            return thread;
        });
        HttpClient client = HttpClient.newBuilder().executor(threads).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.ofString(body)).build();
        int total = rate * seconds;
        ConcurrentLinkedQueue<Double> latencies = new ConcurrentLinkedQueue<>();
        AtomicInteger errors = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(total);
        long start = System.nanoTime();
        long interval = 1_000_000_000L / rate;
        for (int i = 0; i < total; i++) {
            long scheduled = start + i * interval;
            long wait = scheduled - System.nanoTime();
            if (wait > 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(wait);
            }
            client.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, failure) -> {
                latencies.add((System.nanoTime() - scheduled) / 1_000_000.0);
                if (failure != null || response.statusCode() != 200) {
                    errors.incrementAndGet();
                }
                done.countDown();
            });
        }
        done.await();
        threads.shutdown();
        return new Result(rate, total, errors.get(), new Stats(latencies.stream().mapToDouble(Double::doubleValue).toArray()));
    }
}
