package dev.agentfactory.db;

import java.sql.Connection;
import java.sql.Statement;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One thread that holds a connection listening on a PostgreSQL channel ({@code LISTEN}) and hands
 * each notification's payload on; it looks at least once a second ({@code tick}), also while the
 * connection is lost, and reconnects with a growing pause (0.5 s to 10 s) when it is.
 */
public final class ChannelListener implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ChannelListener.class);

    private final String channel;
    private final Supplier<Connection> connections;
    private final Consumer<String> onNotification;
    private final Runnable tick;
    private final Thread thread;
    private volatile boolean running = true;

    /**
     * @param channel a channel name the server owns (a constant, never input)
     * @param connections a connection outside the pool, held for as long as the listener runs
     * @param tick runs about once a second, whether notifications came or not (a backstop for lost ones)
     */
    public ChannelListener(String channel, Supplier<Connection> connections, Consumer<String> onNotification,
                           Runnable tick) {
        this.channel = channel;
        this.connections = connections;
        this.onNotification = onNotification;
        this.tick = tick;
        this.thread = new Thread(this::listen, channel + "-listener");
        this.thread.setDaemon(true);
    }

    public ChannelListener start() {
        thread.start();
        return this;
    }

    private void listen() {
        long backoff = 500;
        while (running) {
            try (Connection connection = connections.get(); Statement statement = connection.createStatement()) {
                statement.execute("LISTEN " + channel);
                backoff = 500;
                PGConnection pg = connection.unwrap(PGConnection.class);
                while (running) {
                    PGNotification[] notifications = pg.getNotifications(1000);
                    if (notifications != null) {
                        for (PGNotification notification : notifications) {
                            onNotification.accept(notification.getParameter());
                        }
                    }
                    tick.run();
                }
            } catch (Exception e) {
                if (running) {
                    log.warn("listener on {} lost its connection; reconnecting in {} ms", channel, backoff, e);
                    tick.run();
                    sleep(backoff);
                    backoff = Math.min(backoff * 2, 10_000);
                }
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
