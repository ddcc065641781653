package dev.orchestra.jenkins

/**
 * Whether this build may bind credentials. A pull request from a fork ({@code env.CHANGE_FORK})
 * brings its own workflow file, which decides what each node does with a credential, so it gets
 * none unless the step says {@code trustForks: true} or one of {@code forkApprovers} approves
 * through {@code input} (Abort there aborts the build). Otherwise the nodes that need a
 * credential are skipped and the others run. The reason is printed either way.
 */
final class ForkTrust implements Serializable {

    private static final long serialVersionUID = 1L

    final boolean trusted
    final String skipReason

    private ForkTrust(boolean trusted, String skipReason) {
        this.trusted = trusted
        this.skipReason = skipReason
    }

    /** Decides, asking through {@code input} when the step names approvers. */
    static ForkTrust decide(Object steps, StepOptions options, Plan plan, Messages messages) {
        String fork = steps.env.CHANGE_FORK
        if (!fork) {
            return new ForkTrust(true, null)
        }
        Map values = [pr: steps.env.CHANGE_ID ?: '?', fork: fork]
        List<String> names = new ArrayList<String>(plan.credentialUsers().keySet())
        values.credentials = names.join(', ')
        String skip = messages.format('fork.skip', values)
        if (options.trustForks) {
            steps.echo(messages.format('fork.trusted', values))
            return new ForkTrust(true, null)
        }
        if (options.forkApprovers != null && !names.isEmpty()) {
            // Abort on this input aborts the build, as everywhere in Jenkins: nothing has run yet.
            values.by = steps.input(message: messages.format('fork.ask', values), ok: 'Bind credentials',
                submitter: options.forkApprovers, submitterParameter: 'approver')
            steps.echo(messages.format('fork.approved', values))
            return new ForkTrust(true, null)
        }
        steps.echo(messages.format('fork.untrusted', values))
        return new ForkTrust(false, skip)
    }

    /** Why {@code node} must not run here, or null when it may. */
    @NonCPS
    String withholds(Map node) {
        return trusted || !node.credentials ? null : skipReason
    }

}
