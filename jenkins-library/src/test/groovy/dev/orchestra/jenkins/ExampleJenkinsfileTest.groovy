package dev.orchestra.jenkins

import static dev.orchestra.jenkins.PlanFixtures.node
import static dev.orchestra.jenkins.PlanFixtures.plan
import static org.assertj.core.api.Assertions.assertThat

import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir

import java.nio.file.Files
import java.nio.file.Path

/**
 * examples/jenkins/Jenkinsfile, as users copy it, runs against the library: build parameters from
 * the workflow, then one stage per node of examples/jenkins/.orchestra/fix-issue.yaml in
 * dependency order, each in the agent image with exactly its credential.
 */
class ExampleJenkinsfileTest {

    @TempDir
    Path root

    /** The plan of the example's workflow as `orchestra plan` prints it (the CLI itself is scripted here). */
    static Map examplePlan() {
        return plan([name: 'fix-issue', agents: [claude: 1], concurrency: 3,
                     inputs: [[name: 'task', description: 'What to fix or build, in a sentence or two', required: true,
                               default: null],
                              [name: 'base', description: 'The branch the work starts from', required: false,
                               default: 'main']],
                     values: [task: 'Greet with a comma', base: 'main']], [
            node('spec', credentials: ['anthropic']),
            node('implement', agent: 'codex', needs: ['spec'], credentials: ['openai']),
            node('write-tests', agent: 'gemini', needs: ['spec'], credentials: ['gemini']),
            node('test', agent: 'command', needs: ['implement', 'write-tests'], attempts: 1),
            node('critic', needs: ['test'], credentials: ['anthropic']),
        ])
    }

    @Test
    void runsTheExampleWorkflowOneStagePerNodeInDependencyOrder() {
        Path examples = new File(System.getProperty('orchestra.library.root'), 'examples/jenkins').toPath()
        PipelineHarness jenkins = PipelineHarness.of(false, root)
        jenkins.sources = examples
        FakeOrchestra orchestra = FakeOrchestra.install(jenkins, examplePlan())

        jenkins.run(Files.readString(examples.resolve('Jenkinsfile')))

        assertThat(jenkins.calls('properties')).hasSize(1)
        assertThat(orchestra.calls('plan')*.args).containsExactly(
            ['plan', '.orchestra/fix-issue.yaml', '--dry-run', '--json'],
            ['plan', '.orchestra/fix-issue.yaml', '--json'])
        List<String> order = orchestra.calls('node exec')*.option('node')
        assertThat(order.first()).isEqualTo('spec')
        assertThat(order.subList(1, 3)).containsExactlyInAnyOrder('implement', 'write-tests')
        assertThat(order.takeRight(2)).containsExactly('test', 'critic')
        assertThat(orchestra.calls('node exec')*.image).containsOnly('orchestra-agent:latest')
        assertThat(orchestra.exec('write-tests').credentials.keySet()).containsExactly('ORCHESTRA_CREDENTIAL_GEMINI')
        assertThat(orchestra.exec('test').credentials).isEmpty()
        assertThat(jenkins.stageResults.values()).containsOnly('SUCCESS').hasSize(5)
        assertThat(jenkins.currentBuild.description).isNotBlank()
    }

}
