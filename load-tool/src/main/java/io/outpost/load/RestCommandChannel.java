package io.outpost.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Commands through the command service's REST API: accepted means 202. HTTP/1.1 with a kept-alive connection per
 * sending thread, as most API clients do ({@link KeepAliveHttp}); the JDK's HTTP/2 default would multiplex every call
 * over one connection, and the server's threads would queue on that connection.
 */
final class RestCommandChannel implements CommandChannel {
    private final URI api;
    private final String devicesPath;
    private final String token;
    private final ExecutorService senders;
    private final List<KeepAliveHttp> connections = Collections.synchronizedList(new ArrayList<>());
    private final ThreadLocal<KeepAliveHttp> connection;

    /** @param senders how many requests may be under way at once (one thread and connection each) */
    RestCommandChannel(String api, String tenant, String token, int senders) {
        this.api = URI.create(api);
        this.devicesPath = this.api.getRawPath().replaceAll("/$", "") + "/api/v1/tenants/" + tenant + "/devices/";
        this.token = token;
        this.senders = Executors.newFixedThreadPool(senders);
        this.connection = ThreadLocal.withInitial(() -> {
            KeepAliveHttp http = new KeepAliveHttp(this.api);
            connections.add(http);
            return http;
        });
    }

    @Override
    public CompletableFuture<Boolean> send(String device, long seq) {
        String body = "{\"name\":\"c" + seq + "\",\"payload\":{\"seq\":" + seq + "},\"ttl\":\"PT5M\"}";
        return CompletableFuture.supplyAsync(() -> {
            try {
                return connection.get().postJson(devicesPath + device + "/commands", token, body) == 202;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, senders);
    }

    @Override
    public void close() {
        senders.shutdownNow();
        synchronized (connections) {
            connections.forEach(KeepAliveHttp::close);
        }
    }
}
