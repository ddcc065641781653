package dev.orchestra.jenkins

import static org.junit.jupiter.api.Assumptions.abort

import java.nio.file.Path
import java.util.concurrent.TimeUnit

/**
 * {@code docker.image(IMAGE).inside(ARGS) { ... }} in a real container, as Docker Pipeline runs it:
 * the container starts as this user with the workspace (the harness's whole directory) mounted at
 * the same path and {@code cat} keeping it alive, every {@code sh} of the body runs in it through
 * {@code docker exec}, and it is removed afterwards. The image is the local test image
 * {@code orchestra-test-java:latest} ({@code docker/images/build-test-images.sh}: busybox and a Java
 * runtime in {@code /opt/java}), built when missing. A test without a Docker engine is skipped,
 * saying so on stderr.
 */
final class RealDocker {

    static final String IMAGE = 'orchestra-test-java:latest'

    final String docker
    final List<String> started = Collections.synchronizedList([])

    private RealDocker(String docker) {
        this.docker = docker
    }

    /** The engine of this machine with the test image; skips the test when there is none. */
    static RealDocker find() {
        String docker = ['/usr/local/bin/docker', '/usr/bin/docker'].find { new File(it).canExecute() }
        if (docker == null) {
            skip('no docker client in /usr/local/bin or /usr/bin')
        }
        Map info = exec([docker, 'info', '--format', '{{.ServerVersion}}'])
        if (info.status != 0) {
            skip("the Docker engine does not answer: ${info.out.trim()}")
        }
        if (exec([docker, 'image', 'inspect', IMAGE]).status != 0) {
            File library = new File(System.getProperty('orchestra.library.root', '..')).canonicalFile
            Map built = exec([new File(library, 'docker/images/build-test-images.sh').path], 600)
            if (exec([docker, 'image', 'inspect', IMAGE]).status != 0) {
                skip("no image ${IMAGE}, and building it failed: ${built.out.readLines().takeRight(5).join(' / ')}")
            }
        }
        return new RealDocker(docker)
    }

    private static void skip(String why) {
        System.err.println()
        System.err.println("!!! SKIPPING THE PIPELINE IN REAL CONTAINERS: ${why}")
        System.err.println('!!! bin/test installs and starts Docker; run it as root to run it.')
        System.err.println()
        abort("no Docker for docker.image().inside: ${why}")
    }

    private static Map exec(List<String> command, long seconds = 120) {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start()
        String out = p.inputStream.text
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.destroyForcibly()
            return [status: -1, out: "${command} did not end in ${seconds} s"]
        }
        return [status: p.exitValue(), out: out]
    }

    /** Makes {@code harness}'s {@code docker.image().inside} run containers, mounting {@code also} read-only. */
    void install(PipelineHarness harness, List<Path> also) {
        String user = "${exec(['id', '-u']).out.trim()}:${exec(['id', '-g']).out.trim()}"
        harness.docker = { PipelineHarness h, String image, String args, Closure body ->
            String root = h.root.toString()
            List<String> run = [docker, 'run', '-d', '-t', '-u', user, '-w', h.workspace().toString(),
                                '-v', "${root}:${root}".toString(), '--entrypoint', 'cat']
            also.each { Path p -> run += ['-v', "${p}:${p}:ro".toString()] }
            run += (args ?: '').tokenize()
            run << image
            Map created = exec(run)
            assert created.status == 0: "docker run ${image} failed: ${created.out}"
            String id = created.out.trim().readLines().last()
            started << id
            try {
                Map<String, String> vars = [PATH: "${root}/bin:/opt/java/bin:/usr/local/bin:/usr/bin:/bin".toString()]
                return h.inContainer(docker, id, vars, body)
            } finally {
                exec([docker, 'rm', '-f', id])
            }
        }
    }

    /** The containers {@link #install} started that still exist (none, once each inside is over). */
    List<String> leftOver() {
        Map ps = exec([docker, 'ps', '-aq', '--no-trunc'])
        List<String> all = ps.out.readLines()*.trim()
        return started.findAll { String id -> all.any { it.startsWith(id) || id.startsWith(it) } }
    }

    /** A path of this machine, e.g. the CLI jar's directory, as a list for {@link #install}. */
    static List<Path> mounts(Path... paths) {
        return paths.collect { it.toAbsolutePath().normalize() }
    }

}
