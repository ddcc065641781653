package dev.orchestra.jenkins

import com.lesfurets.jenkins.unit.BasePipelineTest
import com.lesfurets.jenkins.unit.MethodCall
import com.lesfurets.jenkins.unit.cps.BasePipelineTestCPS
import com.lesfurets.jenkins.unit.global.lib.LibraryConfiguration
import com.lesfurets.jenkins.unit.global.lib.SourceRetriever

import groovy.io.FileType

import java.nio.file.FileSystems
import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.PathMatcher
import java.nio.file.StandardCopyOption
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicInteger
import java.util.concurrent.locks.Condition
import java.util.concurrent.locks.ReentrantLock

/**
 * Runs Jenkinsfiles that use the library (loaded from the repository root, as Jenkins loads a
 * Global Pipeline Library) under JenkinsPipelineUnit, plain or CPS-transformed, with step
 * implementations that do the real thing where it can run here: {@code sh} runs a real shell in
 * a real workspace directory, {@code readFile}/{@code writeFile}/{@code fileExists} use it,
 * {@code stash}/{@code unstash} copy real files, {@code node(label)} gives a branch a fresh
 * workspace, {@code withCredentials} exports variables. {@code docker.image().inside} and
 * {@code input} are pluggable ({@link #docker}, {@link #input}); the defaults record and run the
 * body on the host, where {@code ORCHESTRA_TEST_IMAGE} names the image, and {@link RealDocker}
 * runs the body's shells in a real container ({@link #inContainer}).
 *
 * <p>{@code parallel} runs each branch on a thread of its own, but like Pipeline's CPS VM only one
 * branch runs Groovy at a time: a branch gives the VM up only while a step blocks (a shell
 * process, {@code waitUntil}, {@code input}). {@link #awaitQuiet} tells when no branch can move
 * without an outside event, which lets tests assert what is running without timing.
 */
final class PipelineHarness {

    /** A step call as the branch and stage that made it saw it. */
    static final class Step {
        String name
        Object args
        String branch
        String stage
        Path workspace
        /** The container the step ran in ({@link #inContainer}), or null. */
        String container

        @Override
        String toString() { "${branch ?: '-'}/${stage ?: '-'}: ${name} ${args}" }
    }

    final boolean cps
    final Path root
    final Path home
    final Map env = [BUILD_NUMBER: '7', JOB_NAME: 'demo']
    final Map<String, String> shellEnv = [:]
    final Map currentBuild = [result: 'SUCCESS', description: null]
    final List<Step> steps = Collections.synchronizedList([])
    final List<String> log = Collections.synchronizedList([])
    final Map<String, String> stageResults = Collections.synchronizedMap([:])
    /** The sources {@code checkout scm} copies into a workspace. */
    Path sources
    /**
     * Runs the body of {@code docker.image(IMAGE).inside(ARGS)}: {@code (harness, image, args, body)}.
     * The default runs it on the host, where the shells see {@code ORCHESTRA_TEST_IMAGE}.
     */
    Closure docker = { PipelineHarness h, String image, String args, Closure body ->
        h.withShellEnv([ORCHESTRA_TEST_IMAGE: image]) { h.invoke(body) }
    }
    /**
     * The longest a {@code waitUntil} waits before the test fails: a scripted CLI answers at once,
     * the real one runs real nodes (under load, minutes).
     */
    long waitLimitSeconds = 30
    /** Answers {@code input}: returns the step's value, or throws as Abort does. */
    Closure input = { Map args -> throw new IllegalStateException("no input expected: ${args}") }

    private final BasePipelineTest test
    private final ReentrantLock vm = new ReentrantLock()
    private final Condition progress = vm.newCondition()
    private final Map<Thread, Object> parked = new ConcurrentHashMap<Thread, Object>()
    private final ThreadLocal<List<Map>> context = new ThreadLocal<List<Map>>() {
        @Override
        protected List<Map> initialValue() { [] }
    }
    private final Set<Thread> branches = Collections.synchronizedSet(new HashSet<Thread>())
    private final Path stashes
    private int generation
    private int workspaces
    private final AtomicInteger shellCount = new AtomicInteger()

    private PipelineHarness(boolean cps, Path root) {
        this.cps = cps
        this.root = root
        this.home = Files.createDirectories(root.resolve('workspace'))
        this.stashes = Files.createDirectories(root.resolve('stashes'))
        this.test = cps ? new BasePipelineTestCPS() : new BasePipelineTest() { }
        if (cps) {
            test.helper = new StepBoundaryCps()
        }
        Path scripts = Files.createDirectories(root.resolve('jenkinsfiles'))
        test.scriptRoots = [scripts.toString()] as String[]
        test.scriptExtension = 'groovy'
        File library = new File(System.getProperty('orchestra.library.root', '..')).canonicalFile
        test.helper.registerSharedLibrary(new LibraryConfiguration(name: 'orchestra', defaultVersion: 'main',
            allowOverride: true, implicit: false, targetPath: library.path,
            retriever: { String name, String version, String target -> [library.toURI().toURL()] } as SourceRetriever))
        test.setUp()
        test.helper.callStack = Collections.synchronizedList(new ArrayList<MethodCall>())
        env.WORKSPACE = home.toString()
        test.binding.setVariable('env', env)
        test.binding.setVariable('params', [:])
        test.binding.setVariable('scm', [type: 'GitSCM'])
        test.binding.setVariable('currentBuild', currentBuild)
        test.binding.setVariable('docker', new DockerVariable(this))
        registerSteps()
    }

    /** A harness in plain Groovy ({@code cps == false}) or CPS-transformed Groovy, under {@code root}. */
    static PipelineHarness of(boolean cps, Path root) {
        return new PipelineHarness(cps, root)
    }

    /** JenkinsPipelineUnit's record of every call the pipeline made. */
    List<MethodCall> getCallStack() {
        return test.helper.callStack
    }

    /** Runs {@code jenkinsfile} (Groovy source) in the home workspace; returns what it returned. */
    Object run(String jenkinsfile) {
        Path file = Paths.of(test.scriptRoots[0]).resolve("Jenkinsfile${++workspaces}.groovy")
        file.text = jenkinsfile
        vm.lock()
        try {
            enter([workspace: home])
            Script script = test.loadScript(file.fileName.toString())
            return test.runScript(script)
        } finally {
            context.get().clear()
            vm.unlock()
            if (System.getProperty('orchestra.test.trace')) {
                steps.each { println it }
                log.each { println it }
            }
        }
    }

    /** Runs {@code jenkinsfile} on a thread of its own, for tests that act while it runs. */
    java.util.concurrent.Future<Object> start(String jenkinsfile) {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newSingleThreadExecutor()
        try {
            return pool.submit({ run(jenkinsfile) } as java.util.concurrent.Callable<Object>)
        } finally {
            pool.shutdown()
        }
    }

    /** Calls a pipeline closure the way the mode needs (CPS closures step through their continuation). */
    Object invoke(Closure body, Object... args) {
        return test.helper.callClosure(body, args.length == 0 ? null : args)
    }

    /**
     * Runs {@code body} with every shell it starts in the running container {@code id} (the {@code
     * docker} client at {@code dockerCommand}), with {@code vars} for those shells (the container's
     * {@code PATH}, for one).
     */
    Object inContainer(String dockerCommand, String id, Map<String, String> vars, Closure body) {
        enter([container: id, docker: dockerCommand, env: vars])
        try {
            return invoke(body)
        } finally {
            leave()
        }
    }

    /** Runs {@code body} with extra variables for every shell it starts. */
    Object withShellEnv(Map<String, String> vars, Closure body) {
        enter([env: vars])
        try {
            return body()
        } finally {
            leave()
        }
    }

    /** The step calls named {@code name}, in order. */
    List<Step> calls(String name) {
        synchronized (steps) {
            return steps.findAll { it.name == name }
        }
    }

    /**
     * Waits until no branch can move without an outside event (each is in {@code waitUntil} with
     * nothing changed since, or in a shell) and {@code also} holds. Polls; fails after 30 s.
     */
    void awaitQuiet(Closure<Boolean> also = { true }) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30)
        while (true) {
            vm.lock()
            try {
                boolean quiet = !branches.isEmpty() && branches.every { Thread t ->
                    Object p = parked[t]
                    p == 'sh' || p == 'input' || p == generation
                }
                if (quiet && also()) {
                    return
                }
            } finally {
                vm.unlock()
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError((Object) "the pipeline did not come to rest in 30 s; steps so far: ${steps}")
            }
            Thread.sleep(10)
        }
    }

    /** Shells running right now. */
    int getShellsRunning() {
        return shellCount.get()
    }

    private void registerSteps() {
        def h = test.helper
        h.registerAllowedMethod('echo', [String]) { String text -> record('echo', text); log << text }
        h.registerAllowedMethod('error', [String]) { String text ->
            record('error', text)
            throw new PipelineError(text)
        }
        h.registerAllowedMethod('sh', [Map]) { Map args -> sh(args) }
        h.registerAllowedMethod('sh', [String]) { String script -> sh([script: script]) }
        h.registerAllowedMethod('stage', [String, Closure]) { String name, Closure body ->
            record('stage', name)
            enter([stage: name])
            try {
                Object value = invoke(body)
                stageResults.putIfAbsent(name, 'SUCCESS')
                return value
            } catch (Throwable e) {
                stageResults[name] = 'FAILURE'
                throw e
            } finally {
                leave()
                record('stage end', name)
            }
        }
        h.registerAllowedMethod('catchError', [Map, Closure]) { Map args, Closure body ->
            record('catchError', args)
            try {
                return invoke(body)
            } catch (PipelineError e) {
                String stage = current('stage')
                if (stage != null && args.stageResult) {
                    stageResults[stage] = args.stageResult
                }
                worsen(args.buildResult as String)
                return null
            }
        }
        h.registerAllowedMethod('parallel', [Map]) { Map branchesByName -> parallel(branchesByName) }
        h.registerAllowedMethod('waitUntil', [Map, Closure]) { Map args, Closure body -> waitUntil(args, body) }
        h.registerAllowedMethod('node', [String, Closure]) { String label, Closure body ->
            Path ws = Files.createDirectories(root.resolve("agents/${label}-${++workspaces}"))
            record('node', label)
            enter([workspace: ws, node: label])
            try {
                return invoke(body)
            } finally {
                leave()
            }
        }
        h.registerAllowedMethod('timeout', [Map, Closure]) { Map args, Closure body ->
            record('timeout', args)
            return invoke(body)
        }
        h.registerAllowedMethod('retry', [Map, Closure]) { Map args, Closure body ->
            record('retry', args)
            return invoke(body)
        }
        h.registerAllowedMethod('agent', []) { -> [condition: 'agent'] }
        h.registerAllowedMethod('string', [Map]) { Map args -> new LinkedHashMap(args) + [symbol: 'string'] }
        h.registerAllowedMethod('text', [Map]) { Map args -> new LinkedHashMap(args) + [symbol: 'text'] }
        h.registerAllowedMethod('withCredentials', [List, Closure]) { List bindings, Closure body ->
            record('withCredentials', bindings)
            Map<String, String> vars = [:]
            bindings.each { Map b -> vars[b.variable as String] = "secret-of-${b.credentialsId}".toString() }
            return withShellEnv(vars) { invoke(body) }
        }
        h.registerAllowedMethod('input', [Map]) { Map args ->
            record('input', args)
            return blocking('input') { input(args) }
        }
        h.registerAllowedMethod('stash', [Map]) { Map args -> stash(args) }
        h.registerAllowedMethod('unstash', [String]) { String name -> unstash(name) }
        h.registerAllowedMethod('checkout', [Map]) { Map scm ->
            record('checkout', scm)
            if (sources != null) {
                copyTree(sources, workspace(), null)
            }
        }
        h.registerAllowedMethod('readFile', [String]) { String file -> record('readFile', file); workspace().resolve(file).text }
        h.registerAllowedMethod('fileExists', [String]) { String file -> Files.exists(workspace().resolve(file)) }
        h.registerAllowedMethod('writeFile', [Map]) { Map args -> workspace().resolve(args.file as String).text = args.text }
        h.registerAllowedMethod('junit', [Map]) { Map args ->
            record('junit', args)
            assert Files.exists(workspace().resolve(args.testResults as String)): "junit: no file ${args.testResults}"
        }
        h.registerAllowedMethod('publishHTML', [Map]) { Map args ->
            record('publishHTML', args)
            Path dir = workspace().resolve(args.target.reportDir as String)
            assert Files.exists(dir.resolve(args.target.reportFiles as String)): "publishHTML: no report in ${dir}"
        }
        h.registerAllowedMethod('archiveArtifacts', [Map]) { Map args -> record('archiveArtifacts', args) }
        h.registerAllowedMethod('properties', [List]) { List props -> record('properties', props) }
        h.registerAllowedMethod('parameters', [List]) { List defs -> [parameters: defs] }
    }

    /**
     * Runs the script in a real shell in the current workspace, with the environment in force; inside
     * {@link #inContainer} in that container ({@code docker exec}), as Docker Pipeline runs it.
     */
    private Object sh(Map args) {
        record('sh', args)
        Map<String, String> vars = new LinkedHashMap<String, String>(shellEnv)
        context.get().each { Map c -> if (c.env) { vars.putAll(c.env as Map) } }
        String container = current('container')
        List<String> command = ['/bin/sh', '-c', args.script as String]
        if (container != null) {
            // Each variable by name only: the docker client passes its value, so none is on a command line.
            command = [current('docker') as String, 'exec', '-w', workspace().toString()] +
                vars.keySet().collectMany { ['-e', it] } + [container] + command
        }
        ProcessBuilder pb = new ProcessBuilder(command).directory(workspace().toFile())
        pb.environment().putAll(vars)
        pb.redirectErrorStream(!args.returnStdout)
        Process process
        String out
        String err = ''
        int code = blocking('sh') {
            shellCount.incrementAndGet()
            try {
                process = pb.start()
                process.outputStream.close()
                Thread errors = null
                if (args.returnStdout) {
                    errors = Thread.start { err = process.errorStream.text }
                }
                out = process.inputStream.text
                int status = process.waitFor()
                errors?.join()
                return status
            } finally {
                shellCount.decrementAndGet()
            }
        } as int
        if (args.returnStdout) {
            if (err) {
                log << err
            }
        } else if (out) {
            log << out
        }
        if (args.returnStatus) {
            return code
        }
        if (code != 0) {
            throw new PipelineError("script returned exit code ${code}")
        }
        return args.returnStdout ? out : null
    }

    private Object parallel(Map<String, Closure> named) {
        record('parallel', named.keySet().toList())
        List<Throwable> failures = Collections.synchronizedList([])
        List<Map> outer = new ArrayList<Map>(context.get())
        List<Thread> threads = []
        named.each { String name, Closure body ->
            Thread t = new Thread({
                vm.lock()
                try {
                    context.get().addAll(outer)
                    enter([branch: name])
                    invoke(body)
                } catch (Throwable e) {
                    failures << e
                } finally {
                    branches.remove(Thread.currentThread())
                    parked.remove(Thread.currentThread())
                    generation++
                    progress.signalAll()
                    vm.unlock()
                }
            } as Runnable, "branch-${name}")
            t.uncaughtExceptionHandler = { Thread th, Throwable e -> failures << e; e.printStackTrace() } as Thread.UncaughtExceptionHandler
            branches << t
            threads << t
        }
        threads*.start()
        while (threads.any { it.alive }) {
            progress.await(100, TimeUnit.MILLISECONDS)
        }
        if (failures) {
            // As Pipeline's parallel: the other branches ran to their end; the first failure is thrown.
            currentBuild.result = 'FAILURE'
            throw failures.first()
        }
        return null
    }

    private Object waitUntil(Map args, Closure body) {
        record('waitUntil', args)
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(waitLimitSeconds)
        while (!invoke(body)) {
            parked[Thread.currentThread()] = generation
            try {
                long left = deadline - System.nanoTime()
                if (left <= 0 || !progress.await(left, TimeUnit.NANOSECONDS) && System.nanoTime() > deadline) {
                    // (Object): Groovy 2.4 would pick AssertionError's private String constructor.
                    throw new AssertionError((Object) ("waitUntil in branch ${current('branch')} waited " +
                        "${waitLimitSeconds} s without its condition holding"))
                }
            } finally {
                parked.remove(Thread.currentThread())
            }
        }
        return null
    }

    /** Gives the VM to the other branches while {@code body} blocks. */
    private Object blocking(String what, Closure body) {
        int holds = vm.holdCount
        parked[Thread.currentThread()] = what
        generation++
        progress.signalAll()
        holds.times { vm.unlock() }
        try {
            return body()
        } finally {
            parked[Thread.currentThread()] = 'waking'
            holds.times { vm.lock() }
            parked.remove(Thread.currentThread())
            generation++
            progress.signalAll()
        }
    }

    private void stash(Map args) {
        record('stash', args)
        Path into = stashes.resolve(args.name as String)
        if (Files.exists(into)) {
            into.toFile().deleteDir()
        }
        Files.createDirectories(into)
        List<PathMatcher> matchers = (args.includes as String).split(',').collect {
            FileSystems.default.getPathMatcher('glob:' + it.trim())
        }
        int copied = copyTree(workspace(), into, matchers)
        if (copied == 0 && !args.allowEmpty) {
            throw new PipelineError("No files included in stash '${args.name}'")
        }
    }

    private void unstash(String name) {
        record('unstash', name)
        Path from = stashes.resolve(name)
        if (!Files.isDirectory(from)) {
            throw new PipelineError("No such saved stash '${name}'")
        }
        copyTree(from, workspace(), null)
    }

    private static int copyTree(Path from, Path to, List<PathMatcher> matchers) {
        int copied = 0
        from.toFile().eachFileRecurse(FileType.FILES) { File file ->
            Path f = file.toPath()
            Path rel = from.relativize(f)
            if (matchers == null || matchers.any { it.matches(rel) }) {
                Path target = to.resolve(rel.toString())
                Files.createDirectories(target.parent)
                Files.copy(f, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES)
                copied++
            }
        }
        return copied
    }

    private void worsen(String result) {
        List<String> order = ['SUCCESS', 'UNSTABLE', 'FAILURE', 'NOT_BUILT', 'ABORTED']
        if (result && order.indexOf(result) > order.indexOf(currentBuild.result as String)) {
            currentBuild.result = result
        }
    }

    /** The workspace of the current branch: the home workspace or the one its node(label) gave. */
    Path workspace() {
        return context.get().reverse().find { it.workspace }?.workspace as Path ?: home
    }

    private String current(String key) {
        return context.get().reverse().find { it.containsKey(key) }?.get(key)
    }

    private void enter(Map frame) {
        context.get() << frame
    }

    private void leave() {
        List<Map> frames = context.get()
        frames.remove(frames.size() - 1)
    }

    private void record(String name, Object args) {
        if (test.helper instanceof StepBoundaryCps) {
            ((StepBoundaryCps) test.helper).stepStarted()
        }
        generation++
        progress.signalAll()
        steps << new Step(name: name, args: args, branch: current('branch'), stage: current('stage'),
            workspace: workspace(), container: current('container'))
    }

    /** What {@code error} and failing steps throw, like Jenkins' AbortException: a message for the log. */
    static final class PipelineError extends RuntimeException {
        PipelineError(String message, Throwable cause = null) {
            super(message, cause)
        }
    }

    /** Paths without java.nio's varargs, which Groovy 2.4 resolves poorly. */
    private static final class Paths {
        static Path of(String path) { java.nio.file.Paths.get(path) }
    }

    /** The {@code docker} global variable: {@code docker.image(NAME).inside(ARGS) { ... }}. */
    static final class DockerVariable implements Serializable {
        private static final long serialVersionUID = 1L
        private final transient PipelineHarness harness

        DockerVariable(PipelineHarness harness) { this.harness = harness }

        Image image(String name) { new Image(harness, name) }
    }

    /** One image of {@link DockerVariable}. */
    static final class Image implements Serializable {
        private static final long serialVersionUID = 1L
        private final transient PipelineHarness harness
        final String name

        Image(PipelineHarness harness, String name) {
            this.harness = harness
            this.name = name
        }

        Object inside(String args, Closure body) {
            harness.record('docker.inside', [image: name, args: args])
            return harness.docker.call(harness, name, args, body)
        }

        Object inside(Closure body) { inside('', body) }
    }

}
