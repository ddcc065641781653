package dev.orchestra.jenkins

/**
 * How a node ended, from node exec's exit code and its {@code orchestra.node-result/v1} file
 * (docs/pipeline-plan.md): the result file when there is a valid one, else the exit code.
 */
final class NodeOutcome {

    /** The exit codes of {@code orchestra node exec} that name a status. */
    static final Map<Integer, String> STATUS_BY_EXIT = [
        0  : 'succeeded',
        10 : 'failed',
        11 : 'error',
        12 : 'timed_out',
        13 : 'budget_exceeded',
        14 : 'skipped',
        130: 'cancelled',
    ].asImmutable()

    static final String RESULT_FORMAT = 'orchestra.node-result/v1'

    private NodeOutcome() {
    }

    /** {@code [status, reason, usage, attempts, duration_ms]} for exit {@code code} and {@code result}. */
    @NonCPS
    static Map of(int code, String resultJson, Messages messages, String image) {
        Map result = parse(resultJson)
        if (result != null) {
            return [status: result.status, reason: result.reason, usage: result.usage,
                    attempts: result.attempts, duration_ms: result.duration_ms]
        }
        String status = STATUS_BY_EXIT[code]
        if (status != null) {
            String reason = status == 'succeeded' ? null : messages.format('exec.noresult', [code: code])
            return [status: status, reason: reason]
        }
        String reason
        switch (code) {
            case 2:
                reason = messages.format('exec.usage')
                break
            case 127:
                reason = messages.format('exec.missing', [where: image ? " in image ${image}" : ''])
                break
            default:
                reason = messages.format('exec.crashed', [code: code])
        }
        return [status: 'error', reason: reason]
    }

    @NonCPS
    private static Map parse(String json) {
        if (!json) {
            return null
        }
        try {
            Object parsed = new groovy.json.JsonSlurperClassic().parseText(json)
            boolean valid = parsed instanceof Map && parsed.format == RESULT_FORMAT &&
                RunState.FINISHED.contains(parsed.status)
            return valid ? (Map) parsed : null
        } catch (groovy.json.JsonException ignored) {
            // A half-written file (the process was killed): the exit code decides.
            return null
        }
    }

}
