package dev.orchestra.jenkins

/**
 * One node of the plan as one branch of the parallel block: wait for its needs, then in
 * {@code stage(ID)}: skip it (an upstream did not pass, a fork's build withholds its credentials),
 * ask its approval, take a concurrency slot, and run {@code orchestra node exec} on an agent
 * matching {@code label}, in its image, with exactly its credentials bound.
 *
 * <p>Orchestra's own attempts with feedback happen inside node exec and show in the stage log;
 * Jenkins' {@code retry} wraps only the agent ({@code conditions: [agent()]}), so a lost agent is
 * retried and a failing check never is.
 */
final class NodeStage implements Serializable {

    private static final long serialVersionUID = 1L
    private static final int RECURRENCE_MS = 1000

    private final RunContext ctx
    private final Map node

    NodeStage(RunContext ctx, Map node) {
        this.ctx = ctx
        this.node = node
    }

    /** The branch body. */
    void run() {
        String id = node.id
        if (!ctx.state.needsFinished(id)) {
            ctx.steps.echo(ctx.messages.format('waiting', [node: id, needs: node.needs.join(', ')]))
            ctx.steps.waitUntil(initialRecurrencePeriod: RECURRENCE_MS, quiet: true) {
                ctx.state.needsFinished(id)
            }
        }
        try {
            ctx.steps.stage(id) {
                decide()
            }
        } catch (err) {
            // Whatever ended the stage, its dependants must not wait for it forever.
            if (!RunState.FINISHED.contains(ctx.state.status(id))) {
                boolean stop = Orchestration.isInterruption(err)
                ctx.state.finish(id, stop ? 'cancelled' : 'error', err.message ?: err.toString(), null)
            }
            throw err
        }
    }

    private void decide() {
        String id = node.id
        if (node.status == 'succeeded') {
            ctx.steps.echo(ctx.messages.format('already', [node: id, run: ctx.plan.run]))
            ctx.state.finish(id, 'succeeded', null, null)
            ctx.stashRecords(node)
            return
        }
        String blocked = ctx.state.blocker(id)
        if (blocked != null) {
            ctx.state.finish(id, 'skipped', blocked, null)
            markSkipped(blocked)
            return
        }
        String withheld = ctx.trust.withholds(node)
        if (withheld != null) {
            record(['node', 'skip', '--run', ctx.plan.run, '--node', id, '--reason', withheld], 'orchestra node skip')
            ctx.state.finish(id, 'skipped', withheld, null)
            markSkipped(withheld)
            return
        }
        Map decision = null
        if (node.approval != null) {
            decision = ctx.approvals.ask(node)
            if (!decision.approved) {
                reject(decision)
                return
            }
            ctx.steps.echo(ctx.messages.format('approved', [node: id, by: decision.by ?: '?']))
        }
        if (!ctx.state.tryAcquire(id)) {
            ctx.steps.waitUntil(initialRecurrencePeriod: RECURRENCE_MS, quiet: true) {
                ctx.state.tryAcquire(id)
            }
        }
        Map outcome
        try {
            outcome = execute(decision)
        } finally {
            ctx.state.release(id)
        }
        ctx.state.finish(id, outcome.status as String, outcome.reason as String, outcome.usage as Map)
        show(outcome)
    }

    private void reject(Map decision) {
        List<String> args = ['reject', ctx.plan.run, node.id]
        if (decision.by) {
            args += ['--by', decision.by as String]
        }
        record(args, 'orchestra reject')
        String reason = ctx.messages.format('rejected', [by: decision.by ?: 'a user', comment: ''])
        ctx.state.finish(node.id, 'failed', reason, null)
        markFailed(ctx.messages.format('node.failed', [node: node.id, status: 'failed', reason: reason]))
    }

    /** Records a decision of the pipeline's own with a run-level command, and stashes it. */
    private void record(List<String> args, String label) {
        int code = ctx.cli.status(label, args)
        if (code != 0) {
            ctx.steps.error("orchestra: ${label} for node ${node.id} failed with exit ${code}; see the log above")
        }
        ctx.stashRecords(node)
    }

    private Map execute(Map decision) {
        long started = System.currentTimeMillis()
        Map outcome = null
        try {
            if (!ctx.options.separateWorkspaces()) {
                outcome = inTime { inContainer { exec(decision) } }
            } else if (ctx.options.agentRetries > 0) {
                ctx.steps.retry(count: ctx.options.agentRetries + 1, conditions: [ctx.steps.agent()]) {
                    outcome = onAgent(decision)
                }
            } else {
                outcome = onAgent(decision)
            }
        } catch (err) {
            return failure(err, started)
        }
        return outcome
    }

    /** On an agent of {@code label}, in a workspace of its own: sources, upstream records, run, stash. */
    private Map onAgent(Map decision) {
        Map outcome = null
        ctx.steps.node(ctx.options.label) {
            outcome = inTime {
                prepare()
                ctx.steps.unstash(ctx.plan.stash.name)
                List<String> upstream = node.upstream
                for (int i = 0; i < upstream.size(); i++) {
                    if (ctx.state.isStashed(upstream[i])) {
                        ctx.steps.unstash(ctx.plan.node(upstream[i]).stash.name)
                    }
                }
                Map ran = inContainer { exec(decision) }
                ctx.stashRecords(node)
                return ran
            }
        }
        return outcome
    }

    private void prepare() {
        if (ctx.options.prepare != null) {
            ctx.options.prepare.call()
        } else {
            ctx.steps.checkout(ctx.steps.scm)
        }
    }

    private Map inTime(Closure body) {
        Map outcome = null
        ctx.steps.timeout(time: node.stage_timeout_ms, unit: 'MILLISECONDS') {
            outcome = body() as Map
        }
        return outcome
    }

    private Map inContainer(Closure body) {
        String image = node.image ?: ctx.options.image
        if (image == null) {
            return body() as Map
        }
        Map outcome = null
        ctx.steps.docker.image(image).inside(Cli.insideArgs(node.docker?.args as List, ctx.options.dockerArgs)) {
            outcome = body() as Map
        }
        return outcome
    }

    /** approve (when asked) and node exec, with exactly this node's credentials bound. */
    private Map exec(Map decision) {
        List bindings = []
        List<Map> credentials = node.credentials
        for (int i = 0; i < credentials.size(); i++) {
            Map c = credentials[i]
            bindings << ctx.steps.string(credentialsId: ctx.options.credentials[c.name], variable: c.variable)
        }
        Map outcome = null
        if (bindings.isEmpty()) {
            outcome = execBound(decision)
        } else {
            ctx.steps.withCredentials(bindings) {
                outcome = execBound(decision)
            }
        }
        return outcome
    }

    private Map execBound(Map decision) {
        String id = node.id
        if (decision != null) {
            List<String> approve = ['approve', ctx.plan.run, id]
            if (decision.by) {
                approve += ['--by', decision.by as String]
            }
            if (decision.comment) {
                approve += ['--comment', decision.comment as String]
            }
            int approved = ctx.steps.sh(script: ctx.cli.line(approve), returnStatus: true,
                label: 'orchestra approve') as int
            if (approved != 0) {
                return [status: 'error', reason: ctx.messages.format('approve.failed', [code: approved])]
            }
        }
        String result = Cli.resultFile(ctx.plan.run, id)
        List<String> args = ['node', 'exec', '--run', ctx.plan.run, '--node', id, '--executor', 'local',
                             '--result', result] + ctx.state.spentArgs()
        String script = "mkdir -p ${Cli.quote(Cli.SCRATCH + '/' + ctx.plan.run)} && rm -f ${Cli.quote(result)} && " +
            ctx.cli.line(args)
        int code = ctx.steps.sh(script: script, returnStatus: true, label: "orchestra node exec ${id}") as int
        String json = ctx.steps.fileExists(result) ? ctx.steps.readFile(result) as String : null
        return NodeOutcome.of(code, json, ctx.messages, node.image ?: ctx.options.image)
    }

    /** A stage that threw: its timeout ran out, a step failed (image pull, lost agent), or the build stops. */
    private Map failure(Throwable err, long started) {
        long limit = (node.stage_timeout_ms ?: 0) as long
        if (limit > 0 && System.currentTimeMillis() - started >= limit) {
            String reason = ctx.messages.format('stage.timeout', [timeout: Messages.duration(limit)])
            return [status: 'timed_out', reason: reason]
        }
        if (Orchestration.isInterruption(err)) {
            throw err
        }
        return [status: 'error', reason: ctx.messages.format('step.error', [error: err.message ?: err.toString()])]
    }

    private void show(Map outcome) {
        String status = outcome.status
        if (status == 'succeeded') {
            Map values = [node: node.id, attempts: outcome.attempts ?: '?',
                          duration: Messages.duration(outcome.duration_ms as Number)]
            ctx.steps.echo(ctx.messages.format('node.succeeded', values))
        } else if (status == 'skipped') {
            markSkipped(outcome.reason as String)
        } else if (status == 'cancelled') {
            String text = ctx.messages.format('node.cancelled', [node: node.id, reason: outcome.reason])
            ctx.steps.catchError(buildResult: 'ABORTED', stageResult: 'ABORTED') {
                ctx.steps.error(text)
            }
        } else {
            markFailed(ctx.messages.format('node.failed', [node: node.id, status: status, reason: outcome.reason]))
        }
    }

    /** The stage shows as not built (grey) with the reason; the build result does not change. */
    private void markSkipped(String reason) {
        String text = ctx.messages.format('skipped', [reason: reason])
        ctx.steps.catchError(buildResult: 'SUCCESS', stageResult: 'NOT_BUILT') {
            ctx.steps.error(text)
        }
    }

    /** The stage fails with {@code text}, the build fails, and the other branches go on. */
    private void markFailed(String text) {
        ctx.steps.catchError(buildResult: 'FAILURE', stageResult: 'FAILURE') {
            ctx.steps.error(text)
        }
    }

}
