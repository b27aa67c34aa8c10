package io.useractions.console.access;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.UsernamePasswordAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.useractions.console.config.ConsoleConfig;

/**
 * Who may sign in (HTTP basic): {@code admin} with the admin credential, who sees every study, or a study's
 * name with that study's read key, who sees that study only ({@link StudyAccess} enforces it).
 */
@ApplicationScoped
public class ConsoleIdentityProvider implements IdentityProvider<UsernamePasswordAuthenticationRequest> {
    public static final String ADMIN = "admin";
    public static final String READER = "reader";
    /** The identity attribute naming the one study a reader may see. */
    public static final String STUDY = "study";

    private final byte[] adminPassword;
    private final Map<String, byte[]> readKeys = new HashMap<>();

    public ConsoleIdentityProvider(ConsoleConfig config) {
        this.adminPassword = config.adminPassword().getBytes(StandardCharsets.UTF_8);
        for (String entry : config.readKeys().orElse(java.util.List.of())) {
            int colon = entry.indexOf(':');
            if (colon <= 0 || colon == entry.length() - 1) {
                throw new IllegalArgumentException("ual.console.read-keys: '" + entry.replaceAll(":.*", ":...")
                        + "' is not study:key");
            }
            String study = entry.substring(0, colon).trim();
            if (study.equals(ADMIN)) {
                throw new IllegalArgumentException("ual.console.read-keys: a study may not be named 'admin'");
            }
            readKeys.put(study, entry.substring(colon + 1).trim().getBytes(StandardCharsets.UTF_8));
        }
    }

    @Override
    public Class<UsernamePasswordAuthenticationRequest> getRequestType() {
        return UsernamePasswordAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(UsernamePasswordAuthenticationRequest request,
            AuthenticationRequestContext context) {
        String user = request.getUsername();
        byte[] password = new String(request.getPassword().getPassword()).getBytes(StandardCharsets.UTF_8);
        QuarkusSecurityIdentity.Builder identity = QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(user));
        if (ADMIN.equals(user) && MessageDigest.isEqual(adminPassword, password)) {
            return Uni.createFrom().item(identity.addRole(ADMIN).build());
        }
        byte[] readKey = readKeys.get(user);
        if (readKey != null && MessageDigest.isEqual(readKey, password)) {
            return Uni.createFrom().item(identity.addRole(READER).addAttribute(STUDY, user).build());
        }
        return Uni.createFrom().failure(new AuthenticationFailedException());
    }
}
