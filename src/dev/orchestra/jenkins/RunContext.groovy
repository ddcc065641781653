package dev.orchestra.jenkins

/** What every node stage of one run shares: the steps, the plan, the state and the decisions. */
final class RunContext implements Serializable {

    private static final long serialVersionUID = 1L

    final Object steps
    final Plan plan
    final RunState state
    final StepOptions options
    final Cli cli
    final Messages messages
    final ForkTrust trust
    final Approvals approvals

    RunContext(Object steps, Plan plan, RunState state, StepOptions options, Cli cli, Messages messages,
               ForkTrust trust) {
        this.steps = steps
        this.plan = plan
        this.state = state
        this.options = options
        this.cli = cli
        this.messages = messages
        this.trust = trust
        this.approvals = new Approvals(steps, messages, plan.run)
    }

    /** Stashes the records of {@code node} from the current workspace, when nodes run elsewhere. */
    void stashRecords(Map node) {
        if (options.separateWorkspaces() && node.stash != null) {
            steps.stash(name: node.stash.name, includes: node.stash.includes, allowEmpty: true)
            state.stashed(node.id)
        }
    }

}
