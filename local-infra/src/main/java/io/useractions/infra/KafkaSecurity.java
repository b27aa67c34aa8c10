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
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;

/**
 * The secured broker's material, generated on first use in one directory and reused on every later start,
 * so that nothing secret is committed and a restarted broker accepts the same clients: random SCRAM
 * passwords for {@value #ADMIN_USER} (the broker itself) and {@value #SERVICE_USER} (every client), and a
 * self-signed certificate for 127.0.0.1 and localhost in a PKCS12 keystore, with a truststore for the clients.
 */
public final class KafkaSecurity {

    public static final String PROTOCOL = "SASL_SSL";
    public static final String MECHANISM = "SCRAM-SHA-512";
    public static final String ADMIN_USER = "admin";
    public static final String SERVICE_USER = "ual";

    private static final String STORE_TYPE = "PKCS12";
    private static final String STORE_PASSWORD_VARIABLE = "UAL_KEYSTORE_PASSWORD";
    private static final String CREDENTIALS_FILE = "credentials.properties";
    private static final String KEYSTORE_FILE = "broker.p12";
    private static final String TRUSTSTORE_FILE = "truststore.p12";
    private static final Pattern JAAS_USERNAME = Pattern.compile("username=\"([^\"]*)\"");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path keystore;
    private final Path truststore;
    private final String adminPassword;
    private final String servicePassword;
    private final String keystorePassword;
    private final String truststorePassword;

    private KafkaSecurity(Path dir, Properties credentials) {
        this.keystore = dir.resolve(KEYSTORE_FILE);
        this.truststore = dir.resolve(TRUSTSTORE_FILE);
        this.adminPassword = required(credentials, ADMIN_USER + ".password");
        this.servicePassword = required(credentials, SERVICE_USER + ".password");
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

    /** The TLS and SASL settings of the broker's SASL_SSL listener, which also carries inter-broker traffic. */
    Map<String, String> brokerProperties() {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("sasl.enabled.mechanisms", MECHANISM);
        props.put("sasl.mechanism.inter.broker.protocol", MECHANISM);
        props.put("listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config", jaasConfig(ADMIN_USER, adminPassword));
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
        return List.of("--add-scram", scram(ADMIN_USER, adminPassword), "--add-scram", scram(SERVICE_USER, servicePassword));
    }

    /** What a client of the {@value #SERVICE_USER} user adds to bootstrap.servers. */
    Map<String, Object> clientSettings() {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, PROTOCOL);
        settings.put(SaslConfigs.SASL_MECHANISM, MECHANISM);
        settings.put(SaslConfigs.SASL_JAAS_CONFIG, jaasConfig(SERVICE_USER, servicePassword));
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
