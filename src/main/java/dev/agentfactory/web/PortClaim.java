package dev.agentfactory.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * The HTTP port, bound before the server does any database work, so a second server on the same
 * port fails at once (saying so) instead of after migrations, agent compiles and a new admin token.
 * The server releases it just before its own listener binds the port.
 */
public final class PortClaim implements AutoCloseable {
    private final ServerSocket socket;

    private PortClaim(ServerSocket socket) {
        this.socket = socket;
    }

    /** Binds {@code host:port}; port 0 (any free port) claims nothing. */
    public static PortClaim claim(String host, int port) {
        if (port == 0) {
            return new PortClaim(null);
        }
        ServerSocket socket = null;
        try {
            socket = new ServerSocket();
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(host, port));
            return new PortClaim(socket);
        } catch (IOException e) {
            closeQuietly(socket);
            if (e instanceof java.net.BindException) {
                throw new IllegalStateException("port " + port + " on " + host + " is in use (another Agent Factory "
                        + "server, or another program): stop it, or give this server another port (AF_PORT)", e);
            }
            throw new UncheckedIOException("cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        closeQuietly(socket);
    }

    private static void closeQuietly(ServerSocket socket) {
        if (socket == null) {
            return;
        }
        try {
            socket.close();
        } catch (IOException e) {
            // nothing was listening on it yet
        }
    }
}
