package dev.orchestra.jenkins

/**
 * The {@code orchestra} step: plan the workflow, run one parallel branch per node in topological
 * order ({@link NodeStage}), then finish the run and publish it on the build page: JUnit results,
 * the HTML report, the build description and the archived run records. The run is finished even
 * when the parallel block fails or the build is aborted.
 */
final class Orchestration implements Serializable {

    private static final long serialVersionUID = 1L

    private final Object steps
    private final StepOptions options

    Orchestration(Object steps, Map args) {
        this.steps = steps
        this.options = StepOptions.of(args)
    }

    /** Runs the step; fails the build when the run did not succeed. */
    void run() {
        Messages messages = Messages.load(steps)
        Cli cli = new Cli(steps, options)
        Plan plan = options.resume ? cli.resume(options.resume, messages) :
            cli.plan(options.workflow, options.inputs, messages)
        announce(plan, messages)
        RunState state = new RunState(plan, options.concurrency ?: plan.limits.concurrency as Integer)
        Long timeout = plan.limits.timeout_ms as Long
        long started = System.currentTimeMillis()
        String cancel = null
        Map finished = null
        try {
            checkCredentials(plan, messages)
            ForkTrust trust = ForkTrust.decide(steps, options, plan, messages)
            if (options.separateWorkspaces()) {
                steps.stash(name: plan.stash.name, includes: plan.stash.includes, allowEmpty: true)
            }
            RunContext context = new RunContext(steps, plan, state, options, cli, messages, trust)
            Map branches = [:]
            List<Map> nodes = plan.nodes
            for (int i = 0; i < nodes.size(); i++) {
                NodeStage stage = new NodeStage(context, nodes[i])
                branches[nodes[i].id] = { stage.run() }
            }
            if (timeout) {
                steps.timeout(time: timeout, unit: 'MILLISECONDS') {
                    steps.parallel(branches)
                }
            } else {
                steps.parallel(branches)
            }
        } catch (err) {
            if (timeout && System.currentTimeMillis() - started >= timeout) {
                cancel = messages.format('cancel.timeout', [timeout: Messages.duration(timeout)])
            } else if (isInterruption(err)) {
                cancel = messages.format('cancel.interrupted')
            } else {
                cancel = (err.message ?: err.toString()).readLines().first()
            }
            throw err
        } finally {
            finished = new RunPublisher(steps, options, cli, messages, plan, state).finish(cancel)
        }
        if (finished.error != null) {
            steps.error(finished.error as String)
        }
    }

    private void announce(Plan plan, Messages messages) {
        int done = plan.countWithStatus('succeeded')
        Map values = [run: plan.run, workflow: plan.workflowName, count: plan.nodes.size(), done: done,
                      records: plan.records]
        steps.echo(messages.format(options.resume ? 'resumed' : 'planned', values))
    }

    /** Every credential a node needs must map to a Jenkins credential: checked before anything runs. */
    private void checkCredentials(Plan plan, Messages messages) {
        String problem = unmapped(plan.credentialUsers(), options.credentials, messages)
        if (problem != null) {
            steps.error(problem)
        }
    }

    @NonCPS
    private static String unmapped(Map<String, List<String>> users, Map<String, String> mapping, Messages messages) {
        List<String> missing = []
        List<String> example = []
        users.each { name, nodes ->
            if (!mapping.containsKey(name)) {
                missing << "${name} (${nodes.size() == 1 ? 'node' : 'nodes'} ${nodes.join(', ')})".toString()
            }
            example << "${name}: '${mapping[name] ?: 'JENKINS_CREDENTIAL_ID'}'".toString()
        }
        return missing ? messages.format('unmapped', [missing: missing.join(', '), example: example.join(', ')]) : null
    }

    /**
     * Whether {@code err} stops the build rather than one stage: an abort, a timeout, a Java
     * interrupt. Told by the class name, since the library does not compile against Jenkins.
     */
    @NonCPS
    static boolean isInterruption(Throwable err) {
        return err instanceof InterruptedException ||
            err.getClass().name == 'org.jenkinsci.plugins.workflow.steps.FlowInterruptedException'
    }

}
