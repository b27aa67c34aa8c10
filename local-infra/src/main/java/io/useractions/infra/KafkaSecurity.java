package io.useractions.infra;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The secured broker's material, generated on first use in one directory and reused on every later start,
 * so that nothing secret is committed and a restarted broker accepts the same clients: random SCRAM
 * passwords for {@value #ADMIN_USER} (the broker itself and local-infra's admin client), {@value #SERVICE_USER}
 * (every client of the local run and of the test suites) and each user added later
 * ({@link KafkaBroker#putUser}), and a self-signed certificate for 127.0.0.1 and localhost in a PKCS12
 * keystore, with a truststore for the clients.
 *
 * <p>The broker authorizes as Strimzi's {@code authorization: simple} does: KRaft's StandardAuthorizer,
 * {@value #ADMIN_USER} the only super user, nothing allowed without an ACL. {@value #SERVICE_USER} stands for
 * every service at once and for tests that make topics and groups of any name, so its ACLs
 * ({@link #serviceUserAcls()}) allow everything on every topic, group and transactional id, and describing the
 * cluster; it cannot change ACLs, users or broker configs. Being that broad, it proves nothing about the
 * services' ACLs: users made with exactly a KafkaUser's ACLs do (SecureKafkaIT).
 *
 * <p>The controller listener takes SASL PLAIN over TLS, as {@value #ADMIN_USER}: KRaft cannot authenticate
 * controller connections with SCRAM (its credentials live in the metadata the controller serves), and a
 * PLAINTEXT controller listener would need the anonymous user as a super user for the broker to register.
 */
public final class KafkaSecurity {

    public static final String PROTOCOL = "SASL_SSL";
    public static final String MECHANISM = "SCRAM-SHA-512";
    public static final String ADMIN_USER = "admin";
    public static final String SERVICE_USER = "ual";
    /** The KRaft authorizer that Strimzi's {@code authorization: simple} configures. */
    static final String AUTHORIZER = "org.apache.kafka.metadata.authorizer.StandardAuthorizer";
    static final String CONTROLLER_MECHANISM = "PLAIN";
    /** The name Kafka gives the cluster resource in ACLs. */
    static final String CLUSTER_NAME = "kafka-cluster";

    private static final String STORE_TYPE = "PKCS12";
    private static final String STORE_PASSWORD_VARIABLE = "UAL_KEYSTORE_PASSWORD";
    private static final String CREDENTIALS_FILE = "credentials.properties";
    private static final String KEYSTORE_FILE = "broker.p12";
    private static final String TRUSTSTORE_FILE = "truststore.p12";
    private static final Pattern JAAS_USERNAME = Pattern.compile("username=\"([^\"]*)\"");
    /** Nothing that JAAS, SCRAM (',' and '=') or a properties key would need escaped. */
    private static final Pattern USER_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path credentialsFile;
    private final Path keystore;
    private final Path truststore;
    private final Properties credentials;
    private final String keystorePassword;
    private final String truststorePassword;

    private KafkaSecurity(Path dir, Properties credentials) {
        this.credentialsFile = dir.resolve(CREDENTIALS_FILE);
        this.keystore = dir.resolve(KEYSTORE_FILE);
        this.truststore = dir.resolve(TRUSTSTORE_FILE);
        this.credentials = credentials;
        required(credentials, ADMIN_USER + ".password");
        required(credentials, SERVICE_USER + ".password");
        this.keystorePassword = required(credentials, "keystore.password");
        this.truststorePassword = required(credentials, "truststore.password");
    }

    /**
     * Loads the material kept in {@code dir}, or generates it when {@code mayCreate}. New passwords are only
     * of use to a broker whose storage is formatted with them, hence the flag.
     */
    static KafkaSecurity prepare(Path dir, boolean mayCreate) {
        Processes.createDirectories(dir);
        Path file = dir.resolve(CREDENTIALS_FILE);
        Properties credentials = new Properties();
        if (Files.exists(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                credentials.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
        } else if (mayCreate) {
            for (String name : List.of(ADMIN_USER + ".password", SERVICE_USER + ".password",
                    "keystore.password", "truststore.password")) {
                credentials.setProperty(name, randomSecret());
            }
            store(credentials, file);
        } else {
            throw new IllegalStateException("the Kafka storage beside " + dir + " was formatted without its SCRAM users"
                    + " (it ran without security, or " + file + " was removed); secure a broker on a fresh data directory");
        }
        KafkaSecurity security = new KafkaSecurity(dir, credentials);
        if (!Files.exists(security.keystore) || !Files.exists(security.truststore)) {
            security.generateStores();
        }
        return security;
    }

    /**
     * The TLS and SASL settings of the broker's SASL_SSL listener, which also carries inter-broker traffic,
     * and of its controller listener (SASL_SSL with PLAIN), and the authorizer's.
     */
    Map<String, String> brokerProperties() {
        String adminPassword = password(ADMIN_USER);
        Map<String, String> props = new LinkedHashMap<>();
        props.put("sasl.enabled.mechanisms", MECHANISM);
        props.put("sasl.mechanism.inter.broker.protocol", MECHANISM);
        props.put("listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config", jaasConfig(ADMIN_USER, adminPassword));
        props.put("sasl.mechanism.controller.protocol", CONTROLLER_MECHANISM);
        props.put("listener.name.controller.sasl.enabled.mechanisms", CONTROLLER_MECHANISM);
        // the client side (the broker calling its controller) and the server side's only user, in one entry
        props.put("listener.name.controller.plain.sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + ADMIN_USER
                        + "\" password=\"" + adminPassword + "\" user_" + ADMIN_USER + "=\"" + adminPassword + "\";");
        props.put("authorizer.class.name", AUTHORIZER);
        props.put("super.users", "User:" + ADMIN_USER);
        props.put("allow.everyone.if.no.acl.found", "false");
        props.put(SslConfigs.SSL_KEYSTORE_LOCATION_CONFIG, keystore.toString());
        props.put(SslConfigs.SSL_KEYSTORE_PASSWORD_CONFIG, keystorePassword);
        props.put(SslConfigs.SSL_KEY_PASSWORD_CONFIG, keystorePassword);
        props.put(SslConfigs.SSL_KEYSTORE_TYPE_CONFIG, STORE_TYPE);
        props.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, truststore.toString());
        props.put(SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG, truststorePassword);
        props.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, STORE_TYPE);
        return props;
    }

    /** StorageTool format arguments that write both users into the cluster metadata. */
    List<String> scramFormatArguments() {
        return List.of("--add-scram", scram(ADMIN_USER, password(ADMIN_USER)),
                "--add-scram", scram(SERVICE_USER, password(SERVICE_USER)));
    }

    /**
     * What {@value #SERVICE_USER} may do: every operation on every topic, group and transactional id (the
     * wildcard name), and describe the cluster and its configs. Not Alter or AlterConfigs on the cluster,
     * so ACLs, users and broker settings stay the admin's.
     */
    static List<AclBinding> serviceUserAcls() {
        String principal = "User:" + SERVICE_USER;
        List<AclBinding> acls = new ArrayList<>();
        for (ResourceType type : List.of(ResourceType.TOPIC, ResourceType.GROUP, ResourceType.TRANSACTIONAL_ID)) {
            acls.add(new AclBinding(new ResourcePattern(type, ResourcePattern.WILDCARD_RESOURCE, PatternType.LITERAL),
                    new AccessControlEntry(principal, "*", AclOperation.ALL, AclPermissionType.ALLOW)));
        }
        for (AclOperation operation : List.of(AclOperation.DESCRIBE, AclOperation.DESCRIBE_CONFIGS)) {
            acls.add(new AclBinding(new ResourcePattern(ResourceType.CLUSTER, CLUSTER_NAME, PatternType.LITERAL),
                    new AccessControlEntry(principal, "*", operation, AclPermissionType.ALLOW)));
        }
        return List.copyOf(acls);
    }

    /**
     * A user's SCRAM password: {@value #ADMIN_USER}'s and {@value #SERVICE_USER}'s from the start, any other's
     * once {@link #passwordOrNew} made it. Kept in the credentials file, so that it survives restarts as the
     * user's credential in the cluster metadata does.
     */
    synchronized String password(String user) {
        String password = credentials.getProperty(requireUserName(user) + ".password");
        if (password == null) {
            throw new IllegalArgumentException("no Kafka user " + user + " in " + credentialsFile
                    + "; make it with KafkaBroker.putUser");
        }
        return password;
    }

    /** The user's password as {@link #password(String)} gives it, made and kept first if the user has none yet. */
    synchronized String passwordOrNew(String user) {
        String key = requireUserName(user) + ".password";
        if (credentials.getProperty(key) == null) {
            credentials.setProperty(key, randomSecret());
            store(credentials, credentialsFile);
        }
        return password(user);
    }

    /** What a client of the {@value #SERVICE_USER} user adds to bootstrap.servers. */
    Map<String, Object> clientSettings() {
        return clientSettings(SERVICE_USER);
    }

    /** What a client of this user adds to bootstrap.servers. */
    Map<String, Object> clientSettings(String user) {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, PROTOCOL);
        settings.put(SaslConfigs.SASL_MECHANISM, MECHANISM);
        settings.put(SaslConfigs.SASL_JAAS_CONFIG, jaasConfig(user, password(user)));
        settings.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, truststore.toString());
        settings.put(SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG, truststorePassword);
        settings.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, STORE_TYPE);
        return settings;
    }

    /** The same broker address with no security settings at all: a plaintext client, for tests that expect a refusal. */
    public static Map<String, Object> withoutCredentials(Map<String, ?> clientConfig) {
        Object bootstrap = clientConfig.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
        if (bootstrap == null) {
            throw new IllegalArgumentException("no bootstrap.servers in " + clientConfig.keySet());
        }
        return Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    }

    /** The same settings with another SCRAM password for the same user, for tests that expect a refusal. */
    public static Map<String, Object> withPassword(Map<String, ?> clientConfig, String password) {
        Object jaas = clientConfig.get(SaslConfigs.SASL_JAAS_CONFIG);
        Matcher user = JAAS_USERNAME.matcher(jaas == null ? "" : jaas.toString());
        if (!user.find()) {
            throw new IllegalArgumentException("no SCRAM username in " + SaslConfigs.SASL_JAAS_CONFIG + " of " + clientConfig.keySet());
        }
        Map<String, Object> changed = new LinkedHashMap<>(clientConfig);
        changed.put(SaslConfigs.SASL_JAAS_CONFIG, jaasConfig(user.group(1), password));
        return Collections.unmodifiableMap(changed);
    }

    static String jaasConfig(String user, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user
                + "\" password=\"" + password + "\";";
    }

    /** A name for a user added later: safe in JAAS and SCRAM, and not one of the stores' entries in the credentials file. */
    static String requireUserName(String user) {
        if (user == null || !USER_NAME.matcher(user).matches() || user.equals("keystore") || user.equals("truststore")) {
            throw new IllegalArgumentException("not a usable Kafka user name: " + user
                    + " (letters, digits, '.', '_' and '-', at most 64, not keystore or truststore)");
        }
        return user;
    }

    private static String scram(String user, String password) {
        return MECHANISM + "=[name=" + user + ",password=" + password + "]";
    }

    /** Hex, so that it needs no quoting in JAAS, in StorageTool's --add-scram syntax or in an environment variable. */
    private static String randomSecret() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static String required(Properties credentials, String name) {
        String value = credentials.getProperty(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(name + " is missing from " + CREDENTIALS_FILE);
        }
        return value;
    }

    private static void store(Properties credentials, Path file) {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                credentials.store(out, "generated by local-infra for this data directory only");
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** A new key pair and self-signed certificate through the JDK's keytool; the truststore holds that certificate. */
    private void generateStores() {
        try {
            Files.deleteIfExists(keystore);
            Files.deleteIfExists(truststore);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot replace " + keystore, e);
        }
        keytool("-genkeypair", "-alias", "broker", "-keyalg", "RSA", "-keysize", "2048", "-validity", "3650",
                "-dname", "CN=localhost", "-ext", "SAN=IP:127.0.0.1,DNS:localhost",
                "-storetype", STORE_TYPE, "-keystore", keystore.toString(),
                "-storepass:env", STORE_PASSWORD_VARIABLE);
        try {
            KeyStore keys = KeyStore.getInstance(STORE_TYPE);
            try (InputStream in = Files.newInputStream(keystore)) {
                keys.load(in, keystorePassword.toCharArray());
            }
            Certificate certificate = keys.getCertificate("broker");
            KeyStore trusted = KeyStore.getInstance(STORE_TYPE);
            trusted.load(null, null);
            trusted.setCertificateEntry("broker", certificate);
            Path tmp = truststore.resolveSibling(truststore.getFileName() + ".tmp");
            try (OutputStream out = Files.newOutputStream(tmp)) {
                trusted.store(out, truststorePassword.toCharArray());
            }
            Files.move(tmp, truststore, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot write the truststore " + truststore, e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the truststore " + truststore, e);
        }
    }

    /** The store password goes through the environment, not the command line that ps shows. */
    private void keytool(String... arguments) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(arguments));
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().put(STORE_PASSWORD_VARIABLE, keystorePassword);
            Process process = builder.start();
            process.getOutputStream().close();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                Processes.kill(process);
                throw new IllegalStateException("keytool " + arguments[0] + " timed out");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("keytool " + arguments[0] + " failed with exit code " + process.exitValue()
                        + ": " + new String(output, StandardCharsets.UTF_8).trim());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run keytool", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running keytool", e);
        }
    }
}
