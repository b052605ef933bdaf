package io.outpost.load;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/** Registers simulated devices with the registry's bulk import, 10,000 per call. */
final class Provisioning {
    private static final int PER_CALL = 10_000;

    private Provisioning() {
    }

    static void importDevices(String registry, String token, String tenant, List<Identity> identities)
            throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        for (int from = 0; from < identities.size(); from += PER_CALL) {
            List<Identity> batch = identities.subList(from, Math.min(identities.size(), from + PER_CALL));
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(
                            URI.create(registry + "/api/v1/tenants/" + tenant + "/devices/import"))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "text/csv")
                    .timeout(Duration.ofMinutes(2))
                    .POST(HttpRequest.BodyPublishers.ofString(Identity.importCsv(batch))).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() / 100 != 2) {
                throw new IllegalStateException("bulk import answered " + answer.statusCode() + ": " + answer.body());
            }
        }
    }
}
