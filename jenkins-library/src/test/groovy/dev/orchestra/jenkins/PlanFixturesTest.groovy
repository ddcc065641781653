package dev.orchestra.jenkins

import static org.assertj.core.api.Assertions.assertThat

import groovy.json.JsonSlurperClassic
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir

import java.nio.file.Path

/**
 * The test doubles keep the contract: the plan fixtures and what the scripted CLI writes validate
 * against core's schemas, so the library is tested against documents the real CLI may print.
 */
class PlanFixturesTest {

    @TempDir
    Path root

    @Test
    void theKeptPlanFixtureValidatesAndMatchesTheOneTheTestsBuild() {
        String kept = PlanFixturesTest.getResource('/plans/fix-issue.json').text

        assertThat(PlanFixtures.violations(kept, PlanFixtures.PLAN_SCHEMA)).isEmpty()
        assertThat(new JsonSlurperClassic().parseText(kept)).isEqualTo(PlanFixtures.fixIssue())
    }

    @Test
    void theScriptedCliWritesNodeResultsThatValidate() {
        PipelineHarness jenkins = PipelineHarness.of(false, root)
        FakeOrchestra orchestra = FakeOrchestra.install(jenkins, PlanFixtures.fixIssue())
        orchestra.exits('spec', 10, 'check failed')

        jenkins.run('''
            sh 'orchestra plan x.yaml --json > /dev/null'
            sh(script: 'orchestra node exec --run R --node spec --result ok.json', returnStatus: true)
            ''')

        String result = jenkins.home.resolve('ok.json').text
        assertThat(PlanFixtures.violations(result, PlanFixtures.RESULT_SCHEMA)).isEmpty()
        assertThat(new JsonSlurperClassic().parseText(result)).containsEntry('status', 'failed')
            .containsEntry('reason', 'check failed')
    }

}
