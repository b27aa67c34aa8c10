package io.useractions.model;

/**
 * A request refused, with the {@link ApiError} that answers it. Each service's exception mapper sends that
 * body with its status.
 */
public class RefusedException extends RuntimeException {
    private final ApiError answer;

    /** @param field the field of the request at fault, or null when it is the request as a whole */
    public RefusedException(int status, String code, String field, String message) {
        this(new ApiError(status, code, field, message, null));
    }

    protected RefusedException(ApiError answer) {
        super(answer.message(), null, false, false);
        this.answer = answer;
    }

    public ApiError answer() {
        return answer;
    }
}
