package io.outpost.bridge.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

import io.netty.handler.codec.mqtt.MqttProperties;

class InquiryLifetimeTest {

    @Test
    void positiveSecondsOfUpToNineDigitsAreTheLifetime() {
        assertEquals("120", InquiryLifetime.seconds("120"));
        assertEquals("1", InquiryLifetime.seconds("1"));
        assertEquals("999999999", InquiryLifetime.seconds("999999999"));
        assertEquals("120", InquiryLifetime.seconds("0120"));
    }

    @Test
    void anythingElseIsNoLifetime() {
        for (String value : new String[] { null, "", " ", "abc", "0", "000", "-5", "+5", "12 ", "1.5", "1e3",
                "1000000000", "١٢٠" }) {
            assertNull(InquiryLifetime.seconds(value), "value " + value);
        }
    }

    @Test
    void theLifetimeIsReadFromTheFirstUserPropertyOfThatName() {
        MqttProperties properties = new MqttProperties();
        properties.add(new MqttProperties.UserProperty("trace", "7"));
        properties.add(new MqttProperties.UserProperty("lifetime", "300"));
        properties.add(new MqttProperties.UserProperty("lifetime", "60"));

        assertEquals("300", InquiryLifetime.of(properties));
    }

    @Test
    void withoutTheUserPropertyThereIsNoLifetime() {
        MqttProperties properties = new MqttProperties();
        properties.add(new MqttProperties.UserProperty("Lifetime", "300"));

        assertNull(InquiryLifetime.of(properties));
        assertNull(InquiryLifetime.of(MqttProperties.NO_PROPERTIES));
        assertNull(InquiryLifetime.of(null));
    }
}
