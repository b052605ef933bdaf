package io.outpost.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PageTest {

    @Test
    void sizeIsTheLimitOrOneHundred() {
        assertEquals(100, Page.size(null));
        assertEquals(1, Page.size("1"));
        assertEquals(1000, Page.size("1000"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "abc", "", "0", "1001", "-5", "2.5", "99999999999" })
    void anythingElseIsAProblemNamingLimit(String limit) {
        ProblemException problem = assertThrows(ProblemException.class, () -> Page.size(limit));
        assertEquals(400, problem.status());
        assertEquals(List.of("limit"), problem.errors().stream().map(FieldError::field).toList());
    }
}
