package dev.orchestra.jenkins

/**
 * Ends a run once its parallel block is over: collects the nodes' stashed records, runs
 * {@code orchestra runs finish}, and publishes the run: {@code junit}, {@code publishHTML} (HTML
 * Publisher plugin), {@code currentBuild.description} and {@code archiveArtifacts} of the records.
 * A failure here is reported, never allowed to hide the failure that ended the parallel block.
 */
final class RunPublisher implements Serializable {

    private static final long serialVersionUID = 1L

    private final Object steps
    private final StepOptions options
    private final Cli cli
    private final Messages messages
    private final Plan plan
    private final RunState state

    RunPublisher(Object steps, StepOptions options, Cli cli, Messages messages, Plan plan, RunState state) {
        this.steps = steps
        this.options = options
        this.cli = cli
        this.messages = messages
        this.plan = plan
        this.state = state
    }

    /**
     * Finishes and publishes; {@code cancel} is the reason the parallel block stopped early, or null.
     * Returns {@code [error: MESSAGE]} with the message the build should fail with, or null in it.
     */
    Map finish(String cancel) {
        String error = null
        try {
            if (options.separateWorkspaces()) {
                List<String> stashed = state.stashedIds()
                for (int i = 0; i < stashed.size(); i++) {
                    steps.unstash(plan.node(stashed[i]).stash.name)
                }
            }
            List<String> args = ['runs', 'finish', plan.run]
            if (cancel != null) {
                args += ['--cancel', cancel]
            }
            int code = cli.status('orchestra runs finish', args)
            String summary = publish()
            if (code == 1) {
                error = messages.format('run.failed', [run: plan.run, status: cancel ? 'cancelled' : 'failed',
                                                       summary: summary ?: cancel ?: ''])
            } else if (code != 0) {
                error = messages.format('finish.failed', [run: plan.run, code: code])
            }
        } catch (err) {
            if (Orchestration.isInterruption(err)) {
                throw err
            }
            error = messages.format('report.failed', [run: plan.run, error: err.message ?: err.toString()])
            steps.echo(error)
        }
        return [error: error]
    }

    /** Publishes the report and the records; returns the one-line summary. */
    private String publish() {
        String dir = "${Cli.SCRATCH}/${plan.run}"
        String junit = "${dir}/junit.xml"
        String html = "${dir}/html"
        Map report = cli.capture('orchestra report',
            ['report', plan.run, '--junit', junit, '--html', html, '--summary'])
        if (report.status != 0) {
            throw new IllegalStateException("orchestra report exited ${report.status}; see the log above")
        }
        String summary = lastLine(report.stdout as String)
        steps.junit(testResults: junit, allowEmptyResults: false)
        if (options.htmlReport) {
            steps.publishHTML(target: [reportName: 'Orchestra', reportDir: html, reportFiles: 'index.html',
                                       keepAll: true, alwaysLinkToLastBuild: false, allowMissing: false])
        }
        if (summary) {
            steps.currentBuild.description = summary
        }
        if (options.archive && plan.records) {
            steps.archiveArtifacts(artifacts: "${plan.records}/**".toString(), allowEmptyArchive: true)
        }
        return summary
    }

    @NonCPS
    private static String lastLine(String text) {
        List<String> lines = (text ?: '').readLines().findAll { it.trim() }
        return lines ? lines.last().trim() : null
    }

}
