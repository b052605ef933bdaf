package io.outpost.load;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The inquiry service over HTTP for one tenant (HTTP/1.1, bearer token): handlers, how many inquiries of a name are
 * live, and the service's own counters from {@code /q/metrics}.
 */
final class RestInquiries {
    private static final Pattern NEXT_CURSOR = Pattern.compile("\"nextCursor\":\"([^\"]+)\"");
    private static final Pattern REQUEST_ID = Pattern.compile("\"requestId\":\"");

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final String api;
    private final String tenantUrl;
    private final String tenant;
    private final String token;

    RestInquiries(String api, String tenant, String token) {
        this.api = api;
        this.tenantUrl = api + "/api/v1/tenants/" + tenant;
        this.tenant = tenant;
        this.token = token;
    }

    /** PUTs the handler of inquiries named {@code name}; fails unless it is created or replaced. */
    void putHandler(String name, String json) throws IOException, InterruptedException {
        HttpResponse<String> answer = http.send(request(tenantUrl + "/inquiry-handlers/" + name)
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 200 && answer.statusCode() != 201) {
            throw new IllegalStateException("PUT handler " + name + " answered " + answer.statusCode() + ": "
                    + answer.body());
        }
    }

    /** How many of the tenant's inquiries named {@code name} are OPEN or STREAMING (all pages of 1,000). */
    int live(String name) throws IOException, InterruptedException {
        int count = 0;
        String cursor = null;
        do {
            String url = tenantUrl + "/inquiries?name=" + name + "&state=OPEN,STREAMING&limit=1000"
                    + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
            HttpResponse<String> answer = http.send(request(url).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 200) {
                throw new IllegalStateException("GET inquiries answered " + answer.statusCode() + ": " + answer.body());
            }
            count += (int) REQUEST_ID.matcher(answer.body()).results().count();
            Matcher next = NEXT_CURSOR.matcher(answer.body());
            cursor = next.find() ? next.group(1) : null;
        } while (cursor != null);
        return count;
    }

    /**
     * The service's {@code outpost_inquiry_*} and {@code outpost_mailbox_*} samples that concern this tenant or no
     * tenant (histogram buckets left out), by name and labels; empty if the metrics cannot be read.
     */
    Map<String, Double> metrics() throws InterruptedException {
        Map<String, Double> samples = new TreeMap<>();
        try {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(api + "/q/metrics"))
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
            for (String line : answer.body().split("\n")) {
                if (!(line.startsWith("outpost_inquiry") || line.startsWith("outpost_mailbox"))
                        || line.contains("_bucket{") || (line.contains("tenant=\"")
                                && !line.contains("tenant=\"" + tenant + "\""))) {
                    continue;
                }
                int space = line.lastIndexOf(' ');
                samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("the inquiry service's metrics could not be read: " + e);
        }
        return samples;
    }

    /** How many of the tenant's inquiries the service stored (its {@code outpost_inquiry_requests_total}, opened). */
    long opened() throws InterruptedException {
        return Math.round(ContinuingInquiries.sum(metrics(), "outpost_inquiry_requests_total{", "outcome=\"opened\""));
    }

    private HttpRequest.Builder request(String url) {
        return HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(30));
    }
}
