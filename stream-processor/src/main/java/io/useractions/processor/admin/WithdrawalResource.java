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
            return error(400, "malformed_body", null, "the body is not a JSON object with study, participant and "
                    + "reason as strings: " + e.getOriginalMessage());
        }
        if (request == null) {
            return error(400, "missing_body", null, "send {\"study\": ..., \"participant\": ..., \"reason\": ...}");
        }
        Response invalid = checkCode("study", request.study());
        if (invalid == null) {
            invalid = checkCode("participant", request.participant());
        }
        if (invalid != null) {
            return invalid;
        }
        if (request.reason() != null && request.reason().length() > MAX_REASON_CHARS) {
            return error(400, "too_long", "reason", "reason is longer than " + MAX_REASON_CHARS + " characters");
        }
        String by = security.getUserPrincipal() == null ? "unknown" : security.getUserPrincipal().getName();
        try {
            Withdrawal done = withdrawals.withdraw(request.study(), request.participant(), by, request.reason());
            return Response.status(201).entity(WithdrawalView.of(done)).build();
        } catch (WithdrawalService.Busy e) {
            return ErrorAnswers.busy(e);
        } catch (AlreadyWithdrawn e) {
            return Response.status(409).entity(new AlreadyWithdrawnError(409, "already_withdrawn", "participant",
                    e.getMessage(), WithdrawalView.of(e.earlier()))).build();
        }
    }

    @GET
    public Response trail(@RestQuery String study, @RestQuery Integer limit) {
        if (limit != null && (limit < 1 || limit > 10_000)) {
            return error(400, "out_of_range", "limit", "limit must be between 1 and 10000");
        }
        return Response.ok(new Trail(withdrawals.audit(study, limit == null ? 100 : limit).stream()
                .map(WithdrawalView::of).toList())).build();
    }

    private static Response checkCode(String field, String value) {
        if (value == null || value.isBlank()) {
            return error(400, "missing_field", field, field + " is required");
        }
        if (value.length() > MAX_CODE_CHARS) {
            return error(400, "too_long", field, field + " is longer than " + MAX_CODE_CHARS + " characters");
        }
        return null;
    }

    private static Response error(int status, String code, String field, String message) {
        return ErrorAnswers.of(new ApiError(status, code, field, message, null));
    }
}
