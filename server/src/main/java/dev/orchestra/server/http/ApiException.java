package dev.orchestra.server.http;

import dev.orchestra.OrchestraException;
import dev.orchestra.workflow.Problem;
import java.util.List;

/**
 * An answer other than success, thrown by a handler and written as {@code {"error": {"code",
 * "message", "problems"?}}} with its HTTP status. The message names what was wrong and the fix; it
 * never holds a secret.
 */
public final class ApiException extends OrchestraException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String code;
  private final transient List<Problem> problems;

  public ApiException(int status, String code, String message) {
    this(status, code, message, List.of());
  }

  public ApiException(int status, String code, String message, List<Problem> problems) {
    super(message);
    this.status = status;
    this.code = code;
    this.problems = List.copyOf(problems);
  }

  /** 400: the request is malformed (not JSON, a bad parameter). */
  public static ApiException badRequest(String message) {
    return new ApiException(400, "bad_request", message);
  }

  /** 401: no credentials, or ones that are not valid. */
  public static ApiException unauthorized(String message) {
    return new ApiException(401, "unauthorized", message);
  }

  /** 403: valid credentials that may not do this. */
  public static ApiException forbidden(String code, String message) {
    return new ApiException(403, code, message);
  }

  /** 404: no such thing. */
  public static ApiException notFound(String message) {
    return new ApiException(404, "not_found", message);
  }

  /** 409: the thing is not in a state that allows this. */
  public static ApiException conflict(String message) {
    return new ApiException(409, "conflict", message);
  }

  /** 422: a workflow or inputs that do not validate; {@code problems} say where. */
  public static ApiException invalid(String message, List<Problem> problems) {
    return new ApiException(422, "invalid", message, problems);
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  public List<Problem> problems() {
    return problems;
  }
}
