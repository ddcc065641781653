package dev.orchestra.jenkins

import static org.assertj.core.api.Assertions.assertThat
import static org.assertj.core.api.Assertions.assertThatThrownBy

import org.junit.jupiter.api.BeforeEach
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir

import java.nio.file.Path

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

    Object runStep(String extra = '') {
        try {
            return jenkins.run("""@Library('orchestra') _
            orchestra workflow: '.orchestra/fix-issue.yaml', inputs: [task: "Fix the greeting's comma", empty: ''],
                      image: 'orchestra-agent:latest', credentials: ${CREDENTIALS}${extra}
            """.stripIndent())
        } finally {
            if (System.getProperty('orchestra.test.trace')) {
                jenkins.steps.each { println it }
                jenkins.log.each { println it }
            }
        }
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

}
