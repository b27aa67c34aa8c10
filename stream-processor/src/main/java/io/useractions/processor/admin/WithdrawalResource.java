package io.useractions.processor.admin;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;

import org.jboss.resteasy.reactive.RestQuery;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.useractions.model.ApiError;
import io.useractions.model.RefusedException;
import io.useractions.processor.withdrawal.WithdrawalService;
import io.useractions.processor.withdrawal.WithdrawalService.AlreadyWithdrawn;
import io.useractions.processor.withdrawal.WithdrawalService.Withdrawal;

/**
 * Withdraws participants and shows the audit trail (admin credential required, see application.properties).
 * A withdrawal names the study and the participant's code; the admin who asked is recorded. Withdrawing a
 * participant twice is refused with 409 and the first withdrawal, so a repeated request is visible as one.
 */
@Path("/admin/withdrawals")
@Produces(MediaType.APPLICATION_JSON)
public class WithdrawalResource {
    static final int MAX_CODE_CHARS = 256;
    static final int MAX_REASON_CHARS = 1000;

    /** Read here, not by the framework, so that a malformed body gets this API's JSON error; unknown fields refused. */
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final WithdrawalService withdrawals;

    public WithdrawalResource(WithdrawalService withdrawals) {
        this.withdrawals = withdrawals;
    }

    /** The request: the study, the participant's code, why (optional). */
    public record WithdrawRequest(String study, String participant, String reason) {
    }

    /** A withdrawal: the participant's code, who, when, why and the rows deleted per table. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record WithdrawalView(String study, String participant, @JsonProperty("withdrawn_at") Instant withdrawnAt,
            @JsonProperty("withdrawn_by") String withdrawnBy, String reason, Map<String, Long> deleted,
            @JsonProperty("rows_deleted") long rowsDeleted) {

        static WithdrawalView of(Withdrawal w) {
            return new WithdrawalView(w.study(), w.participant(), w.withdrawnAt(), w.withdrawnBy(), w.reason(),
                    w.deleted(), w.deleted().values().stream().mapToLong(Long::longValue).sum());
        }
    }

    public record Trail(List<WithdrawalView> withdrawals) {
    }

    /** The 409 to a second withdrawal: an {@link ApiError}'s fields and the earlier withdrawal. */
    public record AlreadyWithdrawnError(int status, String error, String field, String message,
            WithdrawalView withdrawal) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response withdraw(String body, SecurityContext security) {
        WithdrawRequest request;
        try {
            request = body == null || body.isBlank() ? null : JSON.readValue(body, WithdrawRequest.class);
        } catch (JsonProcessingException e) {
            throw new RefusedException(400, "malformed_body", null, "the body is not a JSON object with study, participant and "
                    + "reason as strings: " + e.getOriginalMessage());
        }
        if (request == null) {
            throw new RefusedException(400, "missing_body", null, "send {\"study\": ..., \"participant\": ..., \"reason\": ...}");
        }
        checkCode("study", request.study());
        checkCode("participant", request.participant());
        if (request.reason() != null && request.reason().length() > MAX_REASON_CHARS) {
            throw new RefusedException(400, "too_long", "reason", "reason is longer than " + MAX_REASON_CHARS + " characters");
        }
        String by = security.getUserPrincipal() == null ? "unknown" : security.getUserPrincipal().getName();
        try {
            Withdrawal done = withdrawals.withdraw(request.study(), request.participant(), by, request.reason());
            return Response.status(201).entity(WithdrawalView.of(done)).build();
        } catch (AlreadyWithdrawn e) {
            return Response.status(409).entity(new AlreadyWithdrawnError(409, "already_withdrawn", "participant",
                    e.getMessage(), WithdrawalView.of(e.earlier()))).build();
        }
    }

    @GET
    public Trail trail(@RestQuery String study, @RestQuery String limit) {
        int size = (int) QueryParameters.number("limit", limit, 1, 10_000, 100L);
        return new Trail(withdrawals.audit(study, size).stream().map(WithdrawalView::of).toList());
    }

    private static void checkCode(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new RefusedException(400, "missing_field", field, field + " is required");
        }
        if (value.length() > MAX_CODE_CHARS) {
            throw new RefusedException(400, "too_long", field, field + " is longer than " + MAX_CODE_CHARS + " characters");
        }
    }
}
