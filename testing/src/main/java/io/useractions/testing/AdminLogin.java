package io.useractions.testing;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** The admin login that the apps accept when UAL_ADMIN_PASSWORD is not set, as the tests run them. */
public final class AdminLogin {
    public static final String USER = "admin";
    public static final String PASSWORD = "ual-admin-local-dev";

    private AdminLogin() {
    }

    /** The value of an {@code Authorization} header that carries this login. */
    public static String basicAuthorization() {
        return "Basic " + Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
    }
}
