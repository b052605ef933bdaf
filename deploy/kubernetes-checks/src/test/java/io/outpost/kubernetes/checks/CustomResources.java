package io.outpost.kubernetes.checks;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ResourceRequirements;

/**
 * The fields deploy/kubernetes uses of the operators' custom resources (Strimzi, CloudNativePG, Keycloak operator,
 * cert-manager, Prometheus operator's ServiceMonitor that Quarkus generates), which fabric8 has no classes for. Read with unknown fields refused, so a field spelt wrong or put at
 * the wrong level fails; a field the operators know but these records do not must be added here, from the operator's
 * CRD documentation, when a manifest starts using it. Maps stand for free-form parts (Kafka and PostgreSQL settings,
 * the realm representation, which the Keycloak operator passes to Keycloak as it is).
 */
final class CustomResources {

    private CustomResources() {
    }

    /** apiVersion and kind -> the record it must parse into. */
    static final Map<String, Class<?>> TYPES = Map.of(
            "kafka.strimzi.io/v1beta2/Kafka", Kafka.class,
            "kafka.strimzi.io/v1beta2/KafkaNodePool", KafkaNodePool.class,
            "kafka.strimzi.io/v1beta2/KafkaTopic", KafkaTopic.class,
            "postgresql.cnpg.io/v1/Cluster", Cluster.class,
            "postgresql.cnpg.io/v1/Database", Database.class,
            "k8s.keycloak.org/v2alpha1/Keycloak", Keycloak.class,
            "k8s.keycloak.org/v2alpha1/KeycloakRealmImport", KeycloakRealmImport.class,
            "cert-manager.io/v1/Issuer", Issuer.class,
            "cert-manager.io/v1/Certificate", Certificate.class,
            "monitoring.coreos.com/v1/ServiceMonitor", ServiceMonitor.class);

    // ---------------------------------------------------------------- Strimzi (kafka.strimzi.io/v1beta2)

    record Kafka(String apiVersion, String kind, ObjectMeta metadata, KafkaSpec spec) {
    }

    record KafkaSpec(KafkaCluster kafka, EntityOperator entityOperator) {
    }

    record KafkaCluster(String version, List<Listener> listeners, Map<String, Object> config) {
    }

    record Listener(String name, int port, String type, boolean tls) {
    }

    record EntityOperator(Map<String, Object> topicOperator, Map<String, Object> userOperator) {
    }

    record KafkaNodePool(String apiVersion, String kind, ObjectMeta metadata, NodePoolSpec spec) {
    }

    record NodePoolSpec(int replicas, List<String> roles, Storage storage, ResourceRequirements resources) {
    }

    record Storage(String type, List<Volume> volumes) {
    }

    record Volume(int id, String type, String size, Boolean deleteClaim, String kraftMetadata, String storageClass) {
    }

    record KafkaTopic(String apiVersion, String kind, ObjectMeta metadata, TopicSpec spec) {
    }

    record TopicSpec(String topicName, int partitions, int replicas, Map<String, Object> config) {
    }

    // ---------------------------------------------------------------- CloudNativePG (postgresql.cnpg.io/v1)

    record Cluster(String apiVersion, String kind, ObjectMeta metadata, ClusterSpec spec) {
    }

    record ClusterSpec(int instances, PgStorage storage, ResourceRequirements resources, PostgresConfig postgresql,
            Bootstrap bootstrap, Managed managed) {
    }

    record PgStorage(String size, String storageClass) {
    }

    record PostgresConfig(Map<String, String> parameters) {
    }

    record Bootstrap(InitDb initdb) {
    }

    record InitDb(String database, String owner, LocalRef secret) {
    }

    record Managed(List<Role> roles) {
    }

    record Role(String name, String ensure, boolean login, LocalRef passwordSecret) {
    }

    record LocalRef(String name) {
    }

    record Database(String apiVersion, String kind, ObjectMeta metadata, DatabaseSpec spec) {
    }

    record DatabaseSpec(String name, String owner, String ensure, LocalRef cluster) {
    }

    // ---------------------------------------------------------------- Keycloak operator (k8s.keycloak.org/v2alpha1)

    record Keycloak(String apiVersion, String kind, ObjectMeta metadata, KeycloakSpec spec) {
    }

    record KeycloakSpec(int instances, Db db, Http http, Hostname hostname, Proxy proxy, Enabled ingress,
            BootstrapAdmin bootstrapAdmin, ResourceRequirements resources) {
    }

    record Db(String vendor, String host, int port, String database, SecretKey usernameSecret,
            SecretKey passwordSecret) {
    }

    record SecretKey(String name, String key) {
    }

    record Http(boolean httpEnabled, String tlsSecret) {
    }

    record Hostname(String hostname, boolean backchannelDynamic) {
    }

    record Proxy(String headers) {
    }

    record Enabled(boolean enabled) {
    }

    record BootstrapAdmin(AdminUser user) {
    }

    record AdminUser(String secret) {
    }

    record KeycloakRealmImport(String apiVersion, String kind, ObjectMeta metadata, RealmImportSpec spec) {
    }

    record RealmImportSpec(String keycloakCRName, JsonNode realm) {
    }

    // ---------------------------------------------------------------- cert-manager (cert-manager.io/v1)

    record Issuer(String apiVersion, String kind, ObjectMeta metadata, IssuerSpec spec) {
    }

    record IssuerSpec(Map<String, Object> selfSigned, CaIssuer ca) {
    }

    record CaIssuer(String secretName) {
    }

    record Certificate(String apiVersion, String kind, ObjectMeta metadata, CertificateSpec spec) {
    }

    record CertificateSpec(Boolean isCA, String commonName, String secretName, List<String> dnsNames, String duration,
            String renewBefore, PrivateKey privateKey, List<String> usages, IssuerRef issuerRef) {
    }

    record PrivateKey(String algorithm, int size, String encoding, String rotationPolicy) {
    }

    record IssuerRef(String name, String kind, String group) {
    }

    // ---------------------------------------------------------------- Prometheus operator (monitoring.coreos.com/v1)

    record ServiceMonitor(String apiVersion, String kind, ObjectMeta metadata, ServiceMonitorSpec spec) {
    }

    record ServiceMonitorSpec(LabelSelector selector, List<Endpoint> endpoints) {
    }

    record Endpoint(String scheme, IntOrString targetPort, String port, String path, String interval,
            Boolean honorLabels) {
    }
}
