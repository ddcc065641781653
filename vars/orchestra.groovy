import dev.orchestra.jenkins.Orchestration
import dev.orchestra.jenkins.WorkflowParameters

/**
 * Runs an Orchestra workflow as one parallel stage per node; see orchestra.txt (the step
 * reference) and docs/jenkins.md.
 */
void call(Map args = [:]) {
    new Orchestration(this, args).run()
}

/** Build parameters from the workflow's inputs: properties([parameters(orchestra.parameters(FILE))]). */
List parameters(String workflow) {
    return parameters([:], workflow)
}

/** As {@link #parameters(String)}, with the step's cli, cliImage, runsDir or dockerArgs. */
List parameters(Map args, String workflow) {
    return new WorkflowParameters(this, args).definitions(workflow)
}
