package dev.orchestra.jenkins

import static org.assertj.core.api.Assertions.assertThat
import static org.assertj.core.api.Assertions.assertThatThrownBy

import dev.orchestra.jenkins.PipelineHarness.PipelineError
import org.junit.jupiter.api.BeforeEach
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir

import java.nio.file.Files
import java.nio.file.Path
import java.util.concurrent.Future
import java.util.concurrent.TimeUnit

import static dev.orchestra.jenkins.PlanFixtures.node
import static dev.orchestra.jenkins.PlanFixtures.plan

/**
 * The {@code orchestra} step against the scripted CLI, run in plain Groovy and CPS-transformed
 * (see the two subclasses): the stages, containers, credentials and commands a Jenkins build of
 * the examples/jenkins workflow gets.
 */
abstract class OrchestraStepTests {

    static final String CREDENTIALS = "[anthropic: 'anthropic-token', openai: 'openai-key', gemini: 'gemini-key']"

    @TempDir
    Path root

    PipelineHarness jenkins
    FakeOrchestra orchestra

    abstract boolean cps()

    @BeforeEach
    void setUp() {
        jenkins = PipelineHarness.of(cps(), root)
        orchestra = FakeOrchestra.install(jenkins, PlanFixtures.fixIssue())
    }

    String jenkinsfile(String extra = '') {
        return """@Library('orchestra') _
            orchestra workflow: '.orchestra/fix-issue.yaml', inputs: [task: "Fix the greeting's comma", empty: ''],
                      image: 'orchestra-agent:latest', credentials: ${CREDENTIALS}${extra}
            """.stripIndent()
    }

    Object runStep(String extra = '') {
        return jenkins.run(jenkinsfile(extra))
    }

    @Test
    void runsOneParallelBranchPerNodeInPlanOrderEachInItsStage() {
        runStep()

        def parallel = jenkins.callStack.find { it.methodName == 'parallel' }
        assertThat((parallel.args[0] as Map).keySet()).containsExactly('spec', 'implement', 'test', 'verify', 'critic')
        assertThat(jenkins.calls('stage')*.args).containsExactlyInAnyOrder('spec', 'implement', 'test', 'verify', 'critic')
        jenkins.calls('stage').each { assertThat(it.branch).isEqualTo(it.args) }
        assertThat(jenkins.stageResults).containsOnlyKeys('spec', 'implement', 'test', 'verify', 'critic')
        assertThat(jenkins.stageResults.values()).containsOnly('SUCCESS')
        assertThat(jenkins.currentBuild.result).isEqualTo('SUCCESS')
    }

    @Test
    void runsEachNodeExecInItsImageWithExactlyItsCredentials() {
        runStep()

        Map<String, FakeOrchestra.Call> execs = orchestra.calls('node exec').collectEntries { [(it.option('node')): it] }
        assertThat(execs.keySet()).containsExactlyInAnyOrder('spec', 'implement', 'test', 'verify', 'critic')
        assertThat(execs.spec.image).isEqualTo('orchestra-agent:latest')
        assertThat(execs.implement.image).isEqualTo('orchestra-agent:codex')
        assertThat(execs.spec.credentials).isEqualTo([ORCHESTRA_CREDENTIAL_ANTHROPIC: 'secret-of-anthropic-token'])
        assertThat(execs.implement.credentials).isEqualTo([ORCHESTRA_CREDENTIAL_OPENAI: 'secret-of-openai-key'])
        assertThat(execs.test.credentials).isEqualTo([ORCHESTRA_CREDENTIAL_GEMINI: 'secret-of-gemini-key'])
        assertThat(execs.verify.credentials).isEmpty()
        execs.each { id, call ->
            assertThat(call.option('run')).isEqualTo('20261201-101500-3fa2')
            assertThat(call.option('executor')).isEqualTo('local')
            assertThat(call.option('result')).isEqualTo(".orchestra/jenkins/20261201-101500-3fa2/${id}.result.json")
        }
        assertThat(jenkins.calls('timeout').find { it.stage == 'spec' }.args)
            .isEqualTo([time: 1265000, unit: 'MILLISECONDS'])
        def inside = jenkins.calls('docker.inside').find { it.branch == 'implement' }
        assertThat(inside.args).isEqualTo([image: 'orchestra-agent:codex', args: '--cpus 2 --memory 4g --network none'])
        def bindings = jenkins.calls('withCredentials').collectEntries { [(it.branch): it.args.collect { [it.credentialsId, it.variable] }] }
        assertThat(bindings).isEqualTo([spec     : [['anthropic-token', 'ORCHESTRA_CREDENTIAL_ANTHROPIC']],
                                        implement: [['openai-key', 'ORCHESTRA_CREDENTIAL_OPENAI']],
                                        test     : [['gemini-key', 'ORCHESTRA_CREDENTIAL_GEMINI']],
                                        critic   : [['anthropic-token', 'ORCHESTRA_CREDENTIAL_ANTHROPIC']]])
    }

    @Test
    void plansWithTheInputsGivenAndPassesWhatFinishedNodesSpent() {
        runStep()

        FakeOrchestra.Call plan = orchestra.calls('plan').first()
        assertThat(plan.args).isEqualTo(['plan', '.orchestra/fix-issue.yaml', '-i', "task=Fix the greeting's comma", '--json'])
        assertThat(plan.image).isEqualTo('orchestra-agent:latest')
        FakeOrchestra.Call critic = orchestra.exec('critic')
        assertThat(critic.option('spent-usd')).isEqualTo('1.00')
        assertThat(critic.option('spent-tokens')).isEqualTo('4800')
        assertThat(orchestra.exec('spec').option('spent-usd')).isEqualTo('0')
    }

    @Test
    void finishesTheRunAndPublishesItOnTheBuildPage() {
        runStep()

        List<String> commands = orchestra.calls()*.command
        assertThat(commands.takeRight(2)).containsExactly('runs finish', 'report 20261201-101500-3fa2')
        FakeOrchestra.Call report = orchestra.calls('report').first()
        assertThat(report.args).contains('--summary')
        assertThat(report.option('junit')).isEqualTo('.orchestra/jenkins/20261201-101500-3fa2/junit.xml')
        assertThat(jenkins.calls('junit')*.args).containsExactly([testResults: report.option('junit'), allowEmptyResults: false])
        assertThat(jenkins.calls('publishHTML').first().args.target)
            .containsEntry('reportDir', report.option('html')).containsEntry('reportFiles', 'index.html')
        assertThat(jenkins.currentBuild.description).isEqualTo('3 of 5 nodes succeeded, 1 failed, 1 skipped; 2 retries; $1.25')
        assertThat(jenkins.calls('archiveArtifacts')*.args)
            .containsExactly([artifacts: '.orchestra/runs/20261201-101500-3fa2/**', allowEmptyArchive: true])
    }


    @Test
    void wrapsTheParallelBlockInTheRunTimeout() {
        orchestra.serve(plan([timeout_ms: 5400000], [node('a', agent: 'command')]))

        runStep()

        def timeout = jenkins.calls('timeout').first()
        assertThat(timeout.args).isEqualTo([time: 5400000L, unit: 'MILLISECONDS'])
        assertThat(timeout.branch).isNull()
        assertThat(jenkins.calls('parallel')).hasSize(1)
    }

    @Test
    void startsADependantOnlyOnceItsNeedsHaveFinished() {
        orchestra.gate('spec')
        Future<Object> build = jenkins.start(jenkinsfile())

        jenkins.awaitQuiet { orchestra.running() == ['spec'] as Set }
        assertThat(orchestra.calls('node exec')*.option('node')).containsExactly('spec')
        ['implement', 'test', 'verify', 'critic'].each { String id ->
            assertThat(jenkins.calls('waitUntil')*.branch).contains(id)
            assertThat(jenkins.calls('stage')*.args).doesNotContain(id)
        }

        orchestra.open('spec')
        build.get(60, TimeUnit.SECONDS)
        List<String> order = orchestra.calls('node exec')*.option('node')
        assertThat(order.first()).isEqualTo('spec')
        assertThat(order.subList(1, 3)).containsExactlyInAnyOrder('implement', 'test')
        assertThat(order.takeRight(2)).containsExactly('verify', 'critic')
    }

    @Test
    void aFailedNodeFailsItsStageAndSkipsExactlyItsDependants() {
        orchestra.exits('implement', 10, "check 'mvn -q test' still failing after 2 attempts")

        assertThatThrownBy { runStep() }.isInstanceOf(PipelineError)
            .hasMessageContaining('orchestra: run 20261201-101500-3fa2 failed: 3 of 5 nodes succeeded')
        assertThat(jenkins.stageResults).isEqualTo([spec: 'SUCCESS', implement: 'FAILURE', test: 'SUCCESS',
                                                    verify: 'NOT_BUILT', critic: 'NOT_BUILT'])
        assertThat(jenkins.calls('error')*.args).contains(
            "node implement failed: check 'mvn -q test' still failing after 2 attempts",
            "skipped: upstream node 'implement' failed")
        assertThat(jenkins.calls('error').find { it.stage == 'critic' }.args).isEqualTo("skipped: upstream node 'implement' failed")
        assertThat(orchestra.calls('node exec')*.option('node')).containsExactlyInAnyOrder('spec', 'implement', 'test')
        assertThat(jenkins.currentBuild.result).isEqualTo('FAILURE')
        assertThat(orchestra.calls('runs finish')).hasSize(1)
        assertThat(orchestra.calls('runs finish').first().args).doesNotContain('--cancel')
        assertThat(jenkins.calls('junit')).hasSize(1)
    }

    @Test
    void aNodeThatContinuesOnFailureLetsItsDependantsRun() {
        Map p = PlanFixtures.fixIssue()
        p.nodes.find { it.id == 'implement' }.continue_on_failure = true
        orchestra.serve(p)
        orchestra.exits('implement', 10)

        assertThatThrownBy { runStep() }.isInstanceOf(PipelineError)
        assertThat(jenkins.stageResults).containsEntry('implement', 'FAILURE').containsEntry('verify', 'SUCCESS')
            .containsEntry('critic', 'SUCCESS')
    }

    @Test
    void reportsANodeExecThatDiedWithoutAResult() {
        orchestra.exits('test', 137).writesNoResult('test')
        orchestra.exits('spec', 0)

        assertThatThrownBy { runStep() }.isInstanceOf(PipelineError)
        assertThat(jenkins.calls('error').find { it.stage == 'test' }.args)
            .isEqualTo('node test error: orchestra node exec ended with exit 137 and no result')
        assertThat(jenkins.stageResults).containsEntry('implement', 'SUCCESS').containsEntry('verify', 'NOT_BUILT')
    }

    @Test
    void keepsTheGlobalAndPerAgentCapsOnNodesRunningAtOnce() {
        List<String> claude = ['a', 'b', 'c']
        orchestra.serve(plan([agents: [claude: 2]], claude.collect { node(it) } +
            [node('g', agent: 'gemini'), node('h', agent: 'gemini')]))
        List<String> all = claude + ['g', 'h']
        all.each { orchestra.gate(it) }
        Future<Object> build = jenkins.start(jenkinsfile(', concurrency: 3'))

        Set<String> opened = []
        List<Integer> seen = []
        while (opened.size() < all.size()) {
            Set<String> running = null
            jenkins.awaitQuiet {
                running = orchestra.running() - opened
                !running.isEmpty() && running.size() == jenkins.shellsRunning
            }
            seen << running.size()
            assertThat(running.size()).as('nodes running at once').isLessThanOrEqualTo(3)
            assertThat(running.count { claude.contains(it) }).as('claude nodes running at once').isLessThanOrEqualTo(2)
            String next = running.first()
            opened << next
            orchestra.open(next)
        }
        build.get(60, TimeUnit.SECONDS)
        assertThat(seen.first()).as('five nodes ready, three slots').isEqualTo(3)
        assertThat(orchestra.calls('node exec')).hasSize(5)
    }

    @Test
    void bindsNoCredentialForAForkPullRequestAndSaysWhy() {
        jenkins.env.CHANGE_FORK = 'mallory/demo'
        jenkins.env.CHANGE_ID = '12'
        Map p = PlanFixtures.fixIssue()
        p.nodes << node('lint', agent: 'command')
        orchestra.serve(plan(p.nodes))

        runStep()

        assertThat(jenkins.calls('withCredentials')).isEmpty()
        assertThat(orchestra.calls('node exec')*.option('node')).containsExactly('lint')
        assertThat(orchestra.calls('node exec').first().credentials).isEmpty()
        assertThat(jenkins.log).contains('orchestra: pull request #12 comes from the fork mallory/demo; no credentials ' +
            'are bound (set trustForks: true to trust forks, or forkApprovers: \'user,group\' to ask)')
        FakeOrchestra.Call skip = orchestra.calls('node skip').first()
        assertThat(skip.option('node')).isEqualTo('spec')
        assertThat(skip.option('reason')).isEqualTo('fork pull request #12: credentials withheld (anthropic, openai, gemini)')
        assertThat(jenkins.stageResults).containsEntry('spec', 'NOT_BUILT').containsEntry('lint', 'SUCCESS')
        assertThat(jenkins.calls('error').find { it.stage == 'implement' }.args).isEqualTo("skipped: upstream node 'spec' skipped")
    }

    @Test
    void bindsCredentialsForAForkWhenTrustedOrApproved() {
        jenkins.env.CHANGE_FORK = 'mallory/demo'
        jenkins.env.CHANGE_ID = '12'

        runStep(', trustForks: true')
        assertThat(orchestra.exec('spec').credentials.keySet()).containsExactly('ORCHESTRA_CREDENTIAL_ANTHROPIC')
        assertThat(jenkins.calls('input')).isEmpty()

        jenkins.input = { Map args -> 'maintainer' }
        runStep(", forkApprovers: ['alice', 'release-team']")
        Map asked = jenkins.calls('input').first().args as Map
        assertThat(asked.submitter).isEqualTo('alice,release-team')
        assertThat(asked.message as String).startsWith('Pull request #12 comes from the fork mallory/demo.')
        assertThat(jenkins.log).contains('orchestra: pull request #12 comes from the fork mallory/demo; credentials bound, approved by maintainer')
        List<FakeOrchestra.Call> specs = orchestra.calls('node exec').findAll { it.option('node') == 'spec' }
        assertThat(specs).hasSize(2)
        assertThat(specs*.credentials*.keySet()*.toList()).containsOnly(['ORCHESTRA_CREDENTIAL_ANTHROPIC'])
    }

    @Test
    void asksForApprovalInTheStageAndRecordsWhoApproved() {
        orchestra.serve(plan([node('build', agent: 'command'),
                              node('deploy', agent: 'command', needs: ['build'],
                                   approval: [message: 'Deploy to staging?', approvers: ['release-team']])]))
        jenkins.input = { Map args -> [approver: 'alice', comment: 'ship it'] }

        runStep()

        Map asked = jenkins.calls('input').first().args as Map
        assertThat(asked).containsEntry('message', 'Deploy to staging?').containsEntry('submitter', 'release-team')
            .containsEntry('submitterParameter', 'approver').containsEntry('ok', 'Approve')
        assertThat(jenkins.calls('input').first().stage).isEqualTo('deploy')
        List<String> commands = orchestra.calls()*.args.collect { it.take(3).join(' ') }
        int approve = commands.indexOf('approve 20261201-101500-3fa2 deploy')
        assertThat(approve).isPositive()
        assertThat(commands[approve + 1]).isEqualTo('node exec --run')
        assertThat(orchestra.calls('approve').first().args.drop(3)).containsExactly('--by', 'alice', '--comment', 'ship it')
        assertThat(jenkins.stageResults.deploy).isEqualTo('SUCCESS')
    }

    @Test
    void aRejectionFailsThatNodeOnly() {
        orchestra.serve(plan([node('build', agent: 'command'),
                              node('deploy', agent: 'command', needs: ['build'],
                                   approval: [message: 'Deploy?', approvers: []]),
                              node('announce', agent: 'command', needs: ['deploy']),
                              node('docs', agent: 'command')]))
        jenkins.input = { Map args -> throw new Aborted('bob') }
        orchestra.finishExits(1)

        assertThatThrownBy { runStep() }.isInstanceOf(PipelineError)

        assertThat(jenkins.calls('input').first().args as Map).doesNotContainKey('submitter')
        assertThat(orchestra.calls('reject').first().args).containsExactly('reject', '20261201-101500-3fa2', 'deploy', '--by', 'bob')
        assertThat(orchestra.calls('node exec')*.option('node')).containsExactlyInAnyOrder('build', 'docs')
        assertThat(jenkins.stageResults).isEqualTo([build: 'SUCCESS', deploy: 'FAILURE', announce: 'NOT_BUILT', docs: 'SUCCESS'])
        assertThat(jenkins.calls('error').find { it.stage == 'deploy' }.args).isEqualTo('node deploy failed: rejected by bob')
    }

    @Test
    void stopsBeforeAnythingRunsWhenANeededCredentialIsNotMapped() {
        assertThatThrownBy {
            jenkins.run("""@Library('orchestra') _
                orchestra workflow: '.orchestra/fix-issue.yaml', credentials: [anthropic: 'anthropic-token']
                """.stripIndent())
        }.isInstanceOf(PipelineError).hasMessageContaining(
            'needs credentials that the step\'s \'credentials\' does not map to Jenkins credentials: openai (node implement), ' +
            'gemini (node test). Map each to a Jenkins credential id of kind "Secret text", e.g. credentials: ' +
            "[anthropic: 'anthropic-token', openai: 'JENKINS_CREDENTIAL_ID', gemini: 'JENKINS_CREDENTIAL_ID']")
        assertThat(orchestra.calls('node exec')).isEmpty()
        assertThat(orchestra.calls('runs finish').first().option('cancel')).startsWith('orchestra: the workflow needs credentials')
    }

    @Test
    void stopsWithTheCliProblemsWhenTheWorkflowIsInvalid() {
        orchestra.planFails(2, ".orchestra/fix-issue.yaml:7:5: error: unknown key 'need' (did you mean 'needs'?)\n")

        assertThatThrownBy { runStep() }.isInstanceOf(PipelineError)
            .hasMessage('orchestra: .orchestra/fix-issue.yaml is invalid; its problems are listed above (orchestra plan exit 2)')
        assertThat(jenkins.log.join('\n')).contains(".orchestra/fix-issue.yaml:7:5: error: unknown key 'need'")
        assertThat(jenkins.calls('parallel')).isEmpty()
    }

    @Test
    void refusesAnUnknownOptionNamingTheClosestOne() {
        assertThatThrownBy { runStep(", imgae: 'x'") }.hasMessageContaining("unknown option 'imgae' (did you mean 'image'?)")
        assertThat(orchestra.calls()).isEmpty()
    }

    @Test
    void movesRecordsThroughStashesWhenNodesRunOnOtherAgents() {
        jenkins.sources = Files.createDirectories(root.resolve('repo'))
        jenkins.sources.resolve('README.md').text = 'sources'

        runStep(", label: 'docker'")

        assertThat(jenkins.calls('node')*.args).containsOnly('docker').hasSize(5)
        assertThat(jenkins.calls('retry').first().args).isEqualTo([count: 2, conditions: [[condition: 'agent']]])
        assertThat(jenkins.calls('checkout')).hasSize(5)
        FakeOrchestra.Call verify = orchestra.exec('verify')
        assertThat(verify.workspace).doesNotContain('/workspace').contains('/agents/docker-')
        assertThat(jenkins.calls('unstash').findAll { it.branch == 'verify' }*.args).containsExactly(
            'orchestra-20261201-101500-3fa2', 'orchestra-20261201-101500-3fa2-spec',
            'orchestra-20261201-101500-3fa2-implement', 'orchestra-20261201-101500-3fa2-test')
        assertThat(jenkins.calls('stash').findAll { it.branch == 'verify' }*.args*.name)
            .containsExactly('orchestra-20261201-101500-3fa2-verify')
        assertThat(jenkins.home.resolve('.orchestra/runs/20261201-101500-3fa2/nodes/critic/node.json')).exists()
        assertThat(jenkins.currentBuild.result).isEqualTo('SUCCESS')
    }

    @Test
    void resumesARunWithoutRunningWhatAlreadySucceeded() {
        Map p = PlanFixtures.fixIssue()
        p.nodes.find { it.id == 'spec' }.status = 'succeeded'
        orchestra.serve(p)
        // The records of the earlier session, kept in the workspace (or copied from its artifacts).
        Path spec = Files.createDirectories(jenkins.home.resolve('.orchestra/runs/20261201-101500-3fa2/nodes/spec'))
        spec.resolve('node.json').text = '{"status": "succeeded"}'

        jenkins.run("""@Library('orchestra') _
            orchestra resume: '20261201-101500-3fa2', credentials: ${CREDENTIALS}
            """.stripIndent())

        assertThat(orchestra.calls('plan').first().args).containsExactly('plan', '--resume', '20261201-101500-3fa2', '--json')
        assertThat(orchestra.calls('node exec')*.option('node')).doesNotContain('spec').hasSize(4)
        assertThat(jenkins.log).contains('orchestra: spec already succeeded in run 20261201-101500-3fa2 (resumed); not run again')
    }

    @Test
    void cancelsTheRunWhenTheBuildIsInterrupted() {
        jenkins.docker = { PipelineHarness h, String image, String args, Closure body ->
            throw new InterruptedException('aborted')
        }

        assertThatThrownBy { runStep(", cliImage: ''") }.isInstanceOf(InterruptedException)
        assertThat(orchestra.calls('runs finish').first().option('cancel')).isEqualTo('the Jenkins build was interrupted')
        assertThat(orchestra.calls('node exec')).isEmpty()
        assertThat(jenkins.calls('error').find { it.stage == 'critic' }.args).isEqualTo("skipped: upstream node 'spec' cancelled")
    }

    @Test
    void aStepFailureInOneStageFailsThatNodeAsAnError() {
        orchestra.serve(plan([node('a', agent: 'command', image: 'private/image:1'), node('b', agent: 'command')]))
        jenkins.docker = { PipelineHarness h, String image, String args, Closure body ->
            if (image == 'private/image:1') {
                throw new PipelineError('pull access denied for private/image')
            }
            h.invoke(body)
        }
        orchestra.finishExits(1)

        assertThatThrownBy { runStep(", cliImage: ''") }.isInstanceOf(PipelineError)
        assertThat(jenkins.calls('error').find { it.stage == 'a' }.args)
            .isEqualTo('node a error: the stage failed before node exec ended: pull access denied for private/image')
        assertThat(jenkins.stageResults.b).isEqualTo('SUCCESS')
        assertThat(orchestra.calls('plan').first().image).isNull()
    }

    @Test
    void turnsTheWorkflowInputsIntoBuildParameters() {
        Object defs = jenkins.run("""@Library('orchestra') _
            return orchestra.parameters('.orchestra/fix-issue.yaml', cliImage: 'orchestra-agent:latest')
            """.stripIndent())

        assertThat(orchestra.calls('plan').first().args).containsExactly('plan', '.orchestra/fix-issue.yaml', '--dry-run', '--json')
        assertThat(defs as List).containsExactly(
            [name: 'task', defaultValue: '', description: 'Required. What to fix', trim: true, symbol: 'string'],
            [name: 'base', defaultValue: 'main', description: '', trim: true, symbol: 'string'])
    }

    /** What an Abort on {@code input} throws: an interruption whose cause names the user. */
    static final class Aborted extends RuntimeException {
        final List<Cause> causes

        Aborted(String user) {
            super('aborted')
            causes = [new Cause(user: new User(id: user))]
        }
    }

    /** A cause of an interruption that names a user (serializable, as Jenkins' are). */
    static final class Cause implements Serializable {
        User user
    }

    /** A user with an id. */
    static final class User implements Serializable {
        String id
    }

}
