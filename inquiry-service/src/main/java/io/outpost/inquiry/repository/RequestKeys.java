package io.outpost.inquiry.repository;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

import io.outpost.inquiry.EarlyAnswer;
import io.outpost.inquiry.Inquiry;

/**
 * A batch's inquiries and early answers by what devices and backends name them with: tenant, device, request id. One
 * query each; the in-lists may match more rows than asked for, only exact keys are kept.
 */
public final class RequestKeys {
    /** A device's request id. */
    public record Key(String tenant, String device, String requestId) {
        public static Key of(Inquiry inquiry) {
            return new Key(inquiry.tenantId, inquiry.deviceId, inquiry.requestId);
        }
    }

    private RequestKeys() {
    }

    public static Map<Key, Inquiry> inquiries(Collection<Key> keys) {
        Map<Key, Inquiry> found = new HashMap<>();
        Inquiry.<Inquiry>list("tenantId in ?1 and deviceId in ?2 and requestId in ?3", tenants(keys), devices(keys),
                requestIds(keys)).forEach(inquiry -> found.put(Key.of(inquiry), inquiry));
        found.keySet().retainAll(new HashSet<>(keys));
        return found;
    }

    /** Early answers per key, in the order they came. */
    public static Map<Key, List<EarlyAnswer>> earlyAnswers(Collection<Key> keys) {
        Map<Key, List<EarlyAnswer>> found = new HashMap<>();
        EarlyAnswer.<EarlyAnswer>list("tenantId in ?1 and deviceId in ?2 and requestId in ?3 order by seq",
                tenants(keys), devices(keys), requestIds(keys)).forEach(answer -> found.computeIfAbsent(
                        new Key(answer.tenantId, answer.deviceId, answer.requestId), key -> new ArrayList<>())
                        .add(answer));
        found.keySet().retainAll(new HashSet<>(keys));
        return found;
    }

    private static List<String> tenants(Collection<Key> keys) {
        return keys.stream().map(Key::tenant).distinct().toList();
    }

    private static List<String> devices(Collection<Key> keys) {
        return keys.stream().map(Key::device).distinct().toList();
    }

    private static List<String> requestIds(Collection<Key> keys) {
        return keys.stream().map(Key::requestId).distinct().toList();
    }
}
