package dev.orchestra.jenkins

import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.Paths
import java.nio.file.attribute.PosixFilePermissions

/**
 * The real {@code orchestra} command on the PATH of a {@link PipelineHarness}'s shells, in place of
 * {@link FakeOrchestra}: a launcher for the runnable jar the cli module builds
 * ({@code cli/target/orchestra.jar}, named by the {@code orchestra.cli.jar} property), run by the
 * {@code java} on the PATH in force (this JVM's on the host, the image's in a container).
 */
final class RealOrchestra {

    final Path jar

    private RealOrchestra(Path jar) {
        this.jar = jar
    }

    /** The jar, after checking that it is there and newer than every module's classes. */
    static RealOrchestra jar() {
        Path jar = Paths.get(System.getProperty('orchestra.cli.jar', '../cli/target/orchestra.jar')).toAbsolutePath().normalize()
        assert Files.isRegularFile(jar): "no ${jar}: build the CLI first, e.g. ./mvnw -pl cli -am package -DskipTests " +
            '(./mvnw -pl jenkins-library -am verify does)'
        Path root = jar.parent.parent.parent
        ['core', 'store', 'agents', 'docker', 'git', 'runtime', 'cli'].each { String module ->
            File classes = root.resolve("${module}/target/classes").toFile()
            File newer = classes.exists() ? newerThan(classes, jar.toFile().lastModified()) : null
            assert newer == null: "${jar} is older than ${newer}: rebuild it with ./mvnw -pl cli -am package -DskipTests"
        }
        return new RealOrchestra(jar)
    }

    private static File newerThan(File dir, long time) {
        File found = null
        dir.eachFileRecurse(groovy.io.FileType.FILES) { File f ->
            if (found == null && f.lastModified() > time) {
                found = f
            }
        }
        return found
    }

    /** Puts {@code orchestra} on {@code harness}'s PATH (with this JVM's {@code java} after it). */
    void install(PipelineHarness harness) {
        Path bin = Files.createDirectories(harness.root.resolve('bin'))
        Path command = bin.resolve('orchestra')
        command.text = '#!/bin/sh\n' +
            "exec java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto -jar '${jar}' \"\$@\"\n"
        Files.setPosixFilePermissions(command, PosixFilePermissions.fromString('rwxr-xr-x'))
        String java = Paths.get(System.getProperty('java.home'), 'bin').toString()
        harness.shellEnv.PATH = "${bin}:${java}:${System.getenv('PATH')}".toString()
    }

    /** Runs {@code orchestra ARGS} in {@code dir} on the host; returns {@code [status, out]}. */
    Map run(Path dir, List<String> args) {
        List<String> command = [Paths.get(System.getProperty('java.home'), 'bin', 'java').toString(), '-jar', jar.toString()] + args
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start()
        String out = p.inputStream.text
        return [status: p.waitFor(), out: out]
    }

}
