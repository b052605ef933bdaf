import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A demo, not a weather service: the local platform's handler of tenant acme's inquiries named {@code weather}.
 * {@code ./outpost up} starts it and registers it with inquiry-service as a webhook; the forecast is made up, derived
 * from the city's name so that a city always gets the same one. Run as a single-file program with the JDK only:
 * {@code java WeatherWebhook.java <port> <secret-file>}; it listens on 127.0.0.1.
 * <p>
 * Every call must carry a valid {@code Outpost-Signature: t={unix seconds},v1={hex HMAC-SHA256 of "{t}.{body}"}} made
 * with the secret in the secret file (read on every call, so a new secret needs no restart), and {@code t} may be at
 * most 300 s away from this machine's clock; otherwise 401 and no forecast. An {@code opened} call for
 * {@code {"payload":{"city":"Basel"}}} gets 200 {@code {"city":"Basel","sky":"rain","temperatureC":10}}; without a
 * readable {@code payload.city}, the forecast is Bern's. Other calls (a cancelled subscription) get 204.
 */
public class WeatherWebhook {
    static final long MAX_AGE_SECONDS = 300;
    static final int MAX_BODY_BYTES = 1 << 20;
    static final String DEFAULT_CITY = "Bern";
    static final String[] SKIES = {"clear", "partly cloudy", "cloudy", "rain", "showers", "snow", "fog", "windy"};
    /** A call's body is the inquiry as inquiry-service writes it: compact JSON, the device's payload last. */
    static final Pattern EVENT = Pattern.compile("^\\{\"event\":\"([a-z]+)\"");
    static final Pattern PAYLOAD = Pattern.compile("\"payload\"\\s*:\\s*\\{");
    /** A JSON string's content stays escaped as the request had it, so it can be echoed into JSON as it is. */
    static final Pattern CITY = Pattern.compile("\"city\"\\s*:\\s*\"((?:[^\"\\\\\\p{Cntrl}]|\\\\.){1,100})\"");

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: java WeatherWebhook.java <port> <secret-file>");
            System.exit(2);
        }
        int port = Integer.parseInt(args[0]);
        Path secretFile = Path.of(args[1]);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        server.createContext("/weather", exchange -> {
            try {
                weather(exchange, secretFile);
            } catch (RuntimeException | IOException e) {
                log(exchange, 500, e.toString());
                try {
                    respond(exchange, 500, "");
                } catch (IOException alreadyAnswered) {
                    // the response had begun: closing the exchange is all that is left
                }
            } finally {
                exchange.close();
            }
        });
        server.createContext("/health", exchange -> {
            try (exchange) {
                respond(exchange, 200, "{\"status\":\"UP\"}");
            }
        });
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
        System.out.println("weather webhook (demo) listening on http://127.0.0.1:" + port + "/weather");
    }

    static void weather(HttpExchange exchange, Path secretFile) throws IOException {
        if (!exchange.getRequestMethod().equals("POST")) {
            exchange.getResponseHeaders().set("Allow", "POST");
            respond(exchange, 405, "");
            return;
        }
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readNBytes(MAX_BODY_BYTES + 1);
        }
        if (body.length > MAX_BODY_BYTES) {
            respond(exchange, 413, "");
            return;
        }
        String refused = refusal(exchange.getRequestHeaders().getFirst("Outpost-Signature"), body,
                Files.readString(secretFile).strip());
        if (refused != null) {
            log(exchange, 401, refused);
            respond(exchange, 401, "");
            return;
        }
        String text = new String(body, StandardCharsets.UTF_8);
        Matcher event = EVENT.matcher(text);
        if (event.find() && !event.group(1).equals("opened")) {
            log(exchange, 204, event.group(1));
            respond(exchange, 204, "");
            return;
        }
        String city = city(text);
        int hash = city.toLowerCase(Locale.ROOT).hashCode();
        String forecast = "{\"city\":\"" + city + "\",\"sky\":\"" + SKIES[Math.floorMod(hash, SKIES.length)]
                + "\",\"temperatureC\":" + (Math.floorMod(hash / SKIES.length, 36) - 5) + "}";
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        log(exchange, 200, forecast);
        respond(exchange, 200, forecast);
    }

    /** Why the call is refused, or null when its signature is valid and recent. */
    static String refusal(String header, byte[] body, String secret) {
        if (header == null) {
            return "no Outpost-Signature header";
        }
        Long t = null;
        List<String> signatures = new ArrayList<>();
        for (String part : header.split(",")) {
            String[] pair = part.trim().split("=", 2);
            if (pair.length == 2 && pair[0].equals("t") && pair[1].matches("[0-9]{1,18}")) {
                t = Long.parseLong(pair[1]);
            } else if (pair.length == 2 && pair[0].equals("v1") && pair[1].matches("[0-9a-fA-F]{64}")) {
                signatures.add(pair[1]);
            }
        }
        if (t == null || signatures.isEmpty()) {
            return "malformed Outpost-Signature header";
        }
        long age = Instant.now().getEpochSecond() - t;
        if (Math.abs(age) > MAX_AGE_SECONDS) {
            return "signature time " + t + " is " + age + " s from now (at most " + MAX_AGE_SECONDS + ")";
        }
        byte[] expected = hmac(secret, t, body);
        boolean valid = false;
        for (String signature : signatures) {
            // Constant time: how much of a guess matches must not show in how long the comparison takes.
            valid |= MessageDigest.isEqual(expected, HexFormat.of().parseHex(signature));
        }
        return valid ? null : "signature does not match";
    }

    static byte[] hmac(String secret, long t, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((t + ".").getBytes(StandardCharsets.UTF_8));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }

    /** payload.city as the body has it (a string of 1 to 100 characters), else Bern. */
    static String city(String body) {
        Matcher payload = PAYLOAD.matcher(body);
        if (!payload.find()) {
            return DEFAULT_CITY;
        }
        Matcher city = CITY.matcher(body);
        return city.find(payload.end()) ? city.group(1) : DEFAULT_CITY;
    }

    static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
    }

    static void log(HttpExchange exchange, int status, String detail) {
        String inquiry = Objects.requireNonNullElse(exchange.getRequestHeaders().getFirst("Outpost-Inquiry-Id"), "-");
        System.out.println(Instant.now() + " " + exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath()
                + " inquiry " + inquiry + " -> " + status + " " + detail);
    }
}
