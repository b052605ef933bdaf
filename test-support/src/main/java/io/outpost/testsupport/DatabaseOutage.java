package io.outpost.testsupport;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

/**
 * A PostgreSQL outage seen by the Quarkus service under test: the {@link InProcessPostgres} server killed with SIGKILL,
 * held down while the service must stay live and unready, then started again, and the service ready again by itself.
 */
public final class DatabaseOutage {
    /** Longer than any bounded retry: a consumer that gave up would fail liveness, or skip records, within it. */
    public static final Duration HELD = Duration.ofSeconds(6);
    /**
     * How long the service may take to notice: a request that needs a connection waits out the pool's acquisition
     * timeout (Agroal's 5 s) before it fails, and a readiness check is such a request.
     */
    private static final Duration NOTICED_WITHIN = Duration.ofSeconds(12);
    private static final Duration READY_AGAIN = Duration.ofSeconds(30);

    private DatabaseOutage() {
    }

    /** Runs {@code whileDown} with the database down, then holds the outage for {@link #HELD} and ends it. */
    public static void ride(Runnable whileDown) {
        InProcessPostgres.kill();
        try {
            whileDown.run();
            await().during(HELD).atMost(HELD.plus(NOTICED_WITHIN))
                    .until(() -> status("live") == 200 && status("ready") == 503);
        } finally {
            InProcessPostgres.restart();
        }
        await().atMost(READY_AGAIN).until(() -> status("ready") == 200);
    }

    private static int status(String check) {
        return given().get("/q/health/" + check).statusCode();
    }
}
