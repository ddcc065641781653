package dev.orchestra.jenkins

import static org.assertj.core.api.Assertions.assertThat
import static org.assertj.core.api.Assertions.assertThatThrownBy

import org.junit.jupiter.api.BeforeEach
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir

import java.nio.file.Files
import java.nio.file.Path

/**
 * The library running a real workflow with the real Orchestra CLI (the jar the cli module builds):
 * {@code sh} runs real commands, {@code stash}/{@code unstash} copy real directories between the
 * workspaces {@code node(label)} gives, {@code withCredentials} exports real variables, and with a
 * Docker engine {@code docker.image().inside} runs each body's shells in a real container of the
 * local test image. The workflow has the shape of examples/jenkins (spec, implement and
 * write-tests in parallel, test, critic) with command agents; plain and CPS-transformed Groovy by
 * the two subclasses.
 */
abstract class RealPipelineTests {

    static final List<String> NODES = ['spec', 'implement', 'write-tests', 'test', 'critic']
    static final String CREDENTIALS = "[anthropic: 'anthropic-api-key', openai: 'openai-api-key', gemini: 'gemini-api-key']"

    @TempDir
    Path root

    PipelineHarness jenkins
    RealOrchestra orchestra

    abstract boolean cps()

    @BeforeEach
    void setUp() {
        jenkins = PipelineHarness.of(cps(), root)
        jenkins.waitLimitSeconds = 600
        orchestra = RealOrchestra.jar()
        orchestra.install(jenkins)
        jenkins.sources = sources()
    }

    /** The repository {@code checkout scm} copies: the workflow, committed (the nodes branch from it). */
    Path sources() {
        Path dir = Files.createDirectories(root.resolve('sources'))
        Path workflow = Files.createDirectories(dir.resolve('.orchestra')).resolve('fix-issue.yaml')
        workflow.text = RealPipelineTests.getResource('/real-pipeline/.orchestra/fix-issue.yaml').text
        dir.resolve('README.md').text = '# greeter\n'
        git(dir, 'init', '-q', '-b', 'main')
        git(dir, 'add', '-A')
        git(dir, '-c', 'user.name=Test', '-c', 'user.email=test@example.com', 'commit', '-q', '-m', 'initial')
        return dir
    }

    static void git(Path dir, String... args) {
        Process p = new ProcessBuilder(['git'] + (args as List)).directory(dir.toFile()).redirectErrorStream(true).start()
        String out = p.inputStream.text
        assert p.waitFor() == 0: "git ${args.join(' ')} failed: ${out}"
    }

    static String jenkinsfile(String options) {
        return """@Library('orchestra') _
            node('controller') {
                checkout scm
                orchestra workflow: '.orchestra/fix-issue.yaml', credentials: ${CREDENTIALS}, ${options}
            }
            """.stripIndent()
    }

    /** The home workspace of the build: the one node('controller') gave. */
    Path buildWorkspace() {
        return jenkins.calls('checkout').first().workspace
    }

    String runId() {
        String planned = jenkins.log.find { it.startsWith('orchestra: run ') } ?: jenkins.log.join('\n')
        def m = planned =~ /run (\d{8}-\d{6}-[0-9a-f]{4})/
        assert m.find(): "no run id in the log: ${jenkins.log}"
        return m.group(1)
    }

    @Test
    void runsTheWorkflowOneStagePerNodeInRealContainersOnAgentsOfTheirOwn() {
        RealDocker docker = RealDocker.find()
        docker.install(jenkins, RealDocker.mounts(orchestra.jar.parent))

        jenkins.run(jenkinsfile("inputs: [task: 'Greet the world with a comma'], image: '${RealDocker.IMAGE}', label: 'docker'"))

        List<String> stages = jenkins.calls('stage')*.args
        assertThat(stages).hasSize(5)
        assertThat(stages.first()).isEqualTo('spec')
        assertThat(stages.subList(1, 3)).containsExactlyInAnyOrder('implement', 'write-tests')
        assertThat(stages.takeRight(2)).containsExactly('test', 'critic')
        assertThat(jenkins.stageResults).containsOnlyKeys(NODES)
        assertThat(jenkins.stageResults.values()).containsOnly('SUCCESS')
        assertThat(jenkins.currentBuild.result).isEqualTo('SUCCESS')
        // Every node exec ran in a container of the image, on an agent workspace of its own.
        List<PipelineHarness.Step> execs = jenkins.calls('sh').findAll { it.args.label?.startsWith('orchestra node exec') }
        assertThat(execs*.stage).containsExactlyInAnyOrderElementsOf(NODES)
        execs.each { PipelineHarness.Step s ->
            assertThat(s.container).as("the container of ${s.stage}").isNotNull()
            assertThat(s.workspace.toString()).contains('/agents/docker-')
        }
        assertThat(execs*.workspace.unique()).hasSize(5)
        assertThat(docker.leftOver()).isEmpty()
        // write-tests failed its check once and was given feedback, in its stage's log.
        assertThat(jenkins.log.join('\n')).contains("write-tests       retrying as attempt 2")
        String run = runId()
        Path home = buildWorkspace()
        assertPublished(home, run, NODES)
        // The branches travelled as bundles: the run branch holds the work of both parallel nodes.
        Map show = orchestra.run(home, ['runs', 'show', run])
        assertThat(show.status).as(show.out).isEqualTo(0)
        assertThat(show.out as String).contains('status:   succeeded').contains("orchestra/${run}/_result")
        git(home, 'cat-file', '-e', "orchestra/${run}/_result:tests/spec_test.sh".toString())
        git(home, 'cat-file', '-e', "orchestra/${run}/_result:greeting.txt".toString())
        assertThat(jenkins.currentBuild.description).isEqualTo('succeeded: 5/5 nodes, 1 retry')
    }

    @Test
    void aNodeFailingItsChecksAfterItsAttemptsFailsItsStageAndSkipsExactlyItsDependants() {
        assertThatThrownBy { jenkins.run(jenkinsfile("inputs: [task: 'Greet', greeting: 'Hello world']")) }
            .hasMessageContaining('failed: 2/5 nodes, 1 failed (implement), 2 skipped')

        assertThat(jenkins.stageResults).isEqualTo([spec: 'SUCCESS', implement: 'FAILURE', 'write-tests': 'SUCCESS',
                                                    test: 'NOT_BUILT', critic: 'NOT_BUILT'])
        assertThat(jenkins.currentBuild.result).isEqualTo('FAILURE')
        List<String> ran = jenkins.calls('sh').findAll { it.args.label?.startsWith('orchestra node exec') }*.stage
        assertThat(ran).containsExactlyInAnyOrder('spec', 'implement', 'write-tests')
        String log = jenkins.log.join('\n')
        assertThat(log).contains("implement         retrying as attempt 2")
            .contains("check 'the greeting has a comma' failed")
        List<String> skips = jenkins.calls('error').findAll { it.stage in ['test', 'critic'] }*.args
        assertThat(skips).containsOnly("skipped: upstream node 'implement' failed")
        String run = runId()
        Path home = buildWorkspace()
        String junit = assertPublished(home, run, NODES)
        assertThat(junit.findAll('<failure').size()).isEqualTo(1)
        assertThat(junit.findAll('<skipped').size()).isEqualTo(2)
        Map show = orchestra.run(home, ['runs', 'show', run])
        assertThat(show.out as String).contains('status:   failed').contains("upstream node 'implement' failed")
    }

    /** The JUnit file (one case per node) and the HTML report the build published; answers the JUnit XML. */
    String assertPublished(Path home, String run, List<String> nodes) {
        Path dir = home.resolve(".orchestra/jenkins/${run}")
        String junit = dir.resolve('junit.xml').text
        List<String> cases = (junit =~ /<testcase name="([^"]+)"/).collect { it[1] as String }
        assertThat(cases).containsExactlyInAnyOrderElementsOf(nodes)
        String html = dir.resolve('html/index.html').text
        assertThat(dir.resolve('html/report.css')).exists()
        nodes.each { assertThat(html).contains(">${it}<") }
        assertThat(html).contains('<svg').doesNotContain('<script').doesNotContain('style=')
        assertThat(jenkins.calls('publishHTML')).hasSize(1)
        assertThat(jenkins.calls('archiveArtifacts')*.args*.artifacts).containsExactly(".orchestra/runs/${run}/**".toString())
        return junit
    }

}
