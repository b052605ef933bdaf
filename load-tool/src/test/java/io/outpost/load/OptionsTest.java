package io.outpost.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class OptionsTest {
    @Test
    void pairsAreReadFromTheGivenArgumentOn() {
        assertEquals(Map.of("rate", "5", "devices", "10"),
                OptionPairs.parse(new String[] {"paced", "--rate", "5", "--devices", "10"}, 1));
    }

    @Test
    void aValueWithoutItsNameOrANameWithoutItsValueIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> OptionPairs.parse(new String[] {"--rate"}, 0));
        assertThrows(IllegalArgumentException.class, () -> OptionPairs.parse(new String[] {"rate", "5"}, 0));
    }

    @Test
    void loadOptionsWithoutAnApiRunTheBrokerBaseline() {
        LoadOptions options = LoadOptions.parse(new String[] {"storm", "--port", "1884", "--devices", "3",
                "--device-prefix", "cmd-", "--duration", "7"});
        assertEquals("storm", options.scenario());
        assertEquals(1884, options.port());
        assertNull(options.api());
        assertNull(options.username(0), "no credentials for a plain broker");
        assertEquals("cmd-2", options.device(2));
        assertEquals(Duration.ofSeconds(7), options.duration());
    }

    @Test
    void loadOptionsRefuseWhatTheyDoNotKnow() {
        assertThrows(IllegalArgumentException.class,
                () -> LoadOptions.parse(new String[] {"paced", "--devcies", "10"}));
    }

    @Test
    void simulatorOptionsCheckWhatBelongsTogether() {
        SimOptions options = SimOptions.parse(new String[] {"--tenant", "acme", "--secret", "s", "--source-addresses",
                "127.0.0.1,127.0.0.2"});
        assertEquals(List.of("127.0.0.1", "127.0.0.2"), options.sourceAddresses());
        assertEquals(1, options.qos());
        assertEquals("#", options.notifications(), "devices take every notification unless told otherwise");
        assertEquals("alerts/+", SimOptions.parse(new String[] {"--tenant", "acme", "--secret", "s",
                "--notifications", "alerts/+"}).notifications());
        assertNull(SimOptions.parse(new String[] {"--tenant", "acme", "--secret", "s", "--notifications", "none"})
                .notifications());
        assertThrows(IllegalArgumentException.class, () -> SimOptions.parse(new String[] {"--tenant", "acme",
                "--secret", "s", "--notifications", "/alerts"}));
        assertThrows(IllegalArgumentException.class, () -> SimOptions.parse(new String[] {"--tenant", "acme"}));
        assertThrows(IllegalArgumentException.class,
                () -> SimOptions.parse(new String[] {"--tenant", "acme", "--secret", "s", "--qos", "2"}));
        assertThrows(IllegalArgumentException.class,
                () -> SimOptions.parse(new String[] {"--tenant", "acme", "--secret", "s", "--registry", "http://x"}));
    }
}
