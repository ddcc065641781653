package dev.orchestra.jenkins

import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.attribute.PosixFilePermissions

/**
 * The scripted {@code orchestra} command of src/test/resources/fake-orchestra on the PATH of a
 * {@link PipelineHarness}'s shells, and its scenario: the plan it serves, the exit code of each
 * node, gates that hold a node exec until the test opens them, and the calls it logged.
 */
final class FakeOrchestra {

    /** One logged call: the arguments, where it ran, in which image, with which credentials bound. */
    static final class Call {
        List<String> args = []
        String workspace
        String image
        Map<String, String> credentials = [:]

        String getCommand() { args.take(2).join(' ') }

        /** The value after {@code --name}. */
        String option(String name) {
            int i = args.indexOf('--' + name)
            return i < 0 ? null : args[i + 1]
        }

        @Override
        String toString() { "orchestra ${args.join(' ')} [image ${image}, credentials ${credentials.keySet()}]" }
    }

    final Path scenario
    final Map plan

    private FakeOrchestra(Path scenario, Map plan) {
        this.scenario = scenario
        this.plan = plan
    }

    /** Puts the fake on {@code harness}'s PATH, serving {@code plan} (checked against the schema). */
    static FakeOrchestra install(PipelineHarness harness, Map plan) {
        Path bin = Files.createDirectories(harness.root.resolve('bin'))
        Path command = bin.resolve('orchestra')
        command.text = FakeOrchestra.getResource('/fake-orchestra/orchestra').text
        Files.setPosixFilePermissions(command, PosixFilePermissions.fromString('rwxr-xr-x'))
        Path scenario = Files.createDirectories(harness.root.resolve('scenario'))
        ['upstream', 'exit', 'reason', 'noresult', 'gates'].each { Files.createDirectories(scenario.resolve(it)) }
        harness.shellEnv.PATH = "${bin}:${System.getenv('PATH')}".toString()
        harness.shellEnv.FAKE_ORCHESTRA = scenario.toString()
        FakeOrchestra fake = new FakeOrchestra(scenario, plan)
        fake.serve(plan)
        return fake
    }

    /** Serves {@code plan} from now on. */
    void serve(Map plan) {
        scenario.resolve('plan.json').text = PlanFixtures.json(plan)
        scenario.resolve('run').text = plan.run ?: 'none'
        plan.nodes.each { Map n -> scenario.resolve("upstream/${n.id}").text = n.upstream.collect { it + '\n' }.join('') }
    }

    /** node exec of {@code node} exits {@code code}, reporting {@code reason}. */
    FakeOrchestra exits(String node, int code, String reason = null) {
        scenario.resolve("exit/${node}").text = "${code}"
        if (reason != null) {
            scenario.resolve("reason/${node}").text = reason
        }
        return this
    }

    /** node exec of {@code node} writes no result file (as when it is killed). */
    FakeOrchestra writesNoResult(String node) {
        scenario.resolve("noresult/${node}").text = ''
        return this
    }

    /** runs finish exits {@code code}, as the real one does for a run that did not succeed. */
    FakeOrchestra finishExits(int code) {
        scenario.resolve('finish.exit').text = "${code}"
        return this
    }

    /** plan exits {@code code} after printing {@code problems} on stderr. */
    FakeOrchestra planFails(int code, String problems) {
        scenario.resolve('plan.exit').text = "${code}"
        scenario.resolve('plan.stderr').text = problems
        return this
    }

    /** node exec of {@code node} waits at a gate until {@link #open}. */
    FakeOrchestra gate(String node) {
        Path fifo = scenario.resolve("gates/${node}")
        Process p = new ProcessBuilder('mkfifo', fifo.toString()).inheritIO().start()
        assert p.waitFor() == 0: "mkfifo ${fifo} failed"
        return this
    }

    /** Lets node exec of {@code node} go on (blocks until it has reached its gate). */
    void open(String node) {
        new FileOutputStream(scenario.resolve("gates/${node}").toFile()).withCloseable { it.write('go\n'.bytes) }
    }

    /** The node execs running right now (between their start and their end). */
    Set<String> running() {
        File dir = scenario.resolve('running').toFile()
        return (dir.list() ?: new String[0]) as Set
    }

    /** Every call so far, in the order they started. */
    List<Call> calls() {
        File dir = scenario.resolve('calls').toFile()
        List<File> files = (dir.listFiles() ?: new File[0]).findAll { !it.name.endsWith('.tmp') }.sort { it.name }
        return files.collect { File f ->
            Call c = new Call()
            f.readLines().each { String line ->
                int eq = line.indexOf('=')
                String key = line.substring(0, eq)
                String value = line.substring(eq + 1)
                switch (key) {
                    case 'arg': c.args << value; break
                    case 'workspace': c.workspace = value; break
                    case 'image': c.image = value ?: null; break
                    case 'cred':
                        int e = value.indexOf('=')
                        c.credentials[value.substring(0, e)] = value.substring(e + 1)
                        break
                    default: throw new IllegalStateException("unknown line in ${f}: ${line}")
                }
            }
            return c
        }
    }

    /** The calls of one command, e.g. {@code node exec}. */
    List<Call> calls(String command) {
        return calls().findAll { it.command == command || it.args[0] == command }
    }

    /** The node exec call of {@code node}, or null. */
    Call exec(String node) {
        return calls('node exec').find { it.option('node') == node }
    }

}
