package dev.orchestra.jenkins

import static org.assertj.core.api.Assertions.assertThat
import static org.assertj.core.api.Assertions.assertThatThrownBy

import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir

import java.nio.file.Files
import java.nio.file.Path

/** The harness can fail: its CPS mode refuses what Pipeline could not save, and it runs real shells. */
class PipelineHarnessTest {

    static final String ITERATOR_ACROSS_A_STEP = '''
        stage('count') {
            def numbers = [1, 2].iterator()
            while (numbers.hasNext()) {
                echo "n=${numbers.next()}"
            }
        }
        '''

    @TempDir
    Path root

    @Test
    void cpsModeRefusesStateThatPipelineCouldNotSaveAcrossAStep() {
        PipelineHarness cps = PipelineHarness.of(true, Files.createDirectories(root.resolve('cps')))

        assertThatThrownBy { cps.run(ITERATOR_ACROSS_A_STEP) }.hasRootCauseInstanceOf(NotSerializableException)
    }

    @Test
    void plainModeRunsTheSameScript() {
        PipelineHarness plain = PipelineHarness.of(false, Files.createDirectories(root.resolve('plain')))

        plain.run(ITERATOR_ACROSS_A_STEP)

        assertThat(plain.log).containsExactly('n=1', 'n=2')
    }

    @Test
    void shRunsARealShellInTheWorkspaceWithTheBoundVariables() {
        PipelineHarness jenkins = PipelineHarness.of(false, root)

        Object out = jenkins.run('''
            withCredentials([string(credentialsId: 'token', variable: 'TOKEN')]) {
                return sh(script: 'echo "$TOKEN in $(basename "$PWD")"; exit 3', returnStatus: true)
            }
            ''')

        assertThat(out).isEqualTo(3)
        assertThat(jenkins.log.join('')).contains('secret-of-token in workspace')
    }

}
