package io.outpost.mailbox;

import java.io.IOException;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads JSON records from Kafka. Unlike request bodies, which the API reads strictly (an unknown field is a caller's
 * typo), records may carry fields a newer producer added (contracts: add, never rename), so unknown fields are
 * ignored here.
 */
@ApplicationScoped
public class RecordJson {
    @Inject
    ObjectMapper json;

    private ObjectMapper lenient;

    @PostConstruct
    void init() {
        lenient = json.copy().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    public <T> T read(byte[] value, Class<T> type) throws IOException {
        return lenient.readValue(value, type);
    }
}
