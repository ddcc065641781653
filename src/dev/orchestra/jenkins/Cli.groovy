package dev.orchestra.jenkins

/**
 * Runs the Orchestra CLI through {@code sh}. Run-level commands (plan, node skip, reject, runs
 * finish, report) run in the workspace the step was called in, inside {@code cliImage} when one
 * is set; node commands are built here and run by {@link NodeStage} inside the node's container.
 * Every value is single-quoted for the shell; secrets are never put on a command line.
 */
final class Cli implements Serializable {

    private static final long serialVersionUID = 1L
    private static final String EXIT_MARK = 'orchestra-exit='

    /** Where the library keeps its own small files (node results), next to the run records. */
    static final String SCRATCH = '.orchestra/jenkins'

    private final Object steps
    private final String command
    private final String image
    private final String dockerArgs
    private final String runsDir

    Cli(Object steps, StepOptions options) {
        this.steps = steps
        this.command = options.cli
        this.image = options.cliImage
        this.dockerArgs = options.dockerArgs
        this.runsDir = options.runsDir
    }

    /** The command line for {@code orchestra ARGS}, with the runs directory when one was given. */
    @NonCPS
    String line(List<String> args) {
        List<String> words = [command] + args.collect { quote(it) }
        if (runsDir != null) {
            words += ['--runs-dir', quote(runsDir)]
        }
        return words.join(' ')
    }

    /** POSIX shell single quotes: every character stands for itself. */
    @NonCPS
    static String quote(String value) {
        return "'" + value.replace("'", "'\"'\"'") + "'"
    }

    /** {@code docker run} arguments as one string for {@code inside}, each token quoted when needed. */
    @NonCPS
    static String insideArgs(List<String> tokens, String extra) {
        List<String> words = (tokens ?: []).collect { String t -> t ==~ /[A-Za-z0-9_.,:=\/@+-]+/ ? t : quote(t) }
        if (extra) {
            words << extra
        }
        return words.join(' ')
    }

    /** Runs a run-level command and returns its exit status; its output goes to the build log. */
    int status(String label, List<String> args) {
        String script = line(args)
        int code = 0
        inImage {
            code = steps.sh(script: script, returnStatus: true, label: label) as int
        }
        return code
    }

    /**
     * Runs a run-level command and returns {@code [status: N, stdout: TEXT]}: its standard output is
     * captured (its standard error, where problems are printed, still goes to the log).
     */
    Map capture(String label, List<String> args) {
        String script = "status=0; ${line(args)} || status=\$?; echo ${EXIT_MARK}\$status"
        String out = ''
        inImage {
            out = steps.sh(script: script, returnStdout: true, label: label) as String
        }
        return split(out)
    }

    @NonCPS
    private static Map split(String out) {
        String text = out ?: ''
        int mark = text.lastIndexOf(EXIT_MARK)
        if (mark < 0) {
            throw new IllegalStateException('orchestra: the shell step ended without the exit status of orchestra')
        }
        int code = Integer.parseInt(text.substring(mark + EXIT_MARK.length()).trim())
        return [status: code, stdout: text.substring(0, mark)]
    }

    /** Runs {@code body} inside the CLI image, or right here when there is none. */
    void inImage(Closure body) {
        if (image == null) {
            body()
        } else {
            steps.docker.image(image).inside(dockerArgs) {
                body()
            }
        }
    }

    /** Where node exec writes the result of {@code node} of {@code run}. */
    @NonCPS
    static String resultFile(String run, String node) {
        return "${SCRATCH}/${run}/${node}.result.json"
    }

    /** Plans {@code workflow} with {@code inputs}; stops the build with the CLI's own problems. */
    Plan plan(String workflow, Map<String, String> inputs, Messages messages) {
        return planned(capture('orchestra plan', planArgs(workflow, inputs)), workflow, messages)
    }

    @NonCPS
    private static List<String> planArgs(String workflow, Map<String, String> inputs) {
        List<String> args = ['plan', workflow]
        inputs.each { k, v -> args += ['-i', "${k}=${v}".toString()] }
        args << '--json'
        return args
    }

    /** Plans the recorded run {@code run} again: its succeeded nodes are marked, not run. */
    Plan resume(String run, Messages messages) {
        return planned(capture('orchestra plan --resume', ['plan', '--resume', run, '--json']), run, messages)
    }

    /** The dry-run plan of {@code workflow}: nothing is created. */
    Plan dryRun(String workflow, Messages messages) {
        Map result = capture('orchestra plan --dry-run', ['plan', workflow, '--dry-run', '--json'])
        return planned(result, workflow, messages)
    }

    private Plan planned(Map result, String file, Messages messages) {
        if (result.status == 2) {
            steps.error(messages.format('invalid', [file: file, code: 2]))
        }
        if (result.status != 0) {
            steps.error(messages.format('plan.failed', [file: file, code: result.status]))
        }
        return Plan.parse(result.stdout as String)
    }

}
