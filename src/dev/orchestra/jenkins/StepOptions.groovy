package dev.orchestra.jenkins

/**
 * The arguments of the {@code orchestra} step, checked before anything runs: an unknown key or a
 * value of the wrong kind stops the build with a message naming the key, the value and the fix.
 */
final class StepOptions implements Serializable {

    private static final long serialVersionUID = 1L

    /** Every key the step takes, with what its value must be. */
    static final Map<String, String> KEYS = [
        workflow     : 'a path to the workflow file, e.g. .orchestra/fix-issue.yaml',
        resume       : 'the id of an earlier run to resume',
        inputs       : 'a map of input names to values, e.g. [task: params.TASK]',
        image        : 'a Docker image name, e.g. orchestra-agent:latest',
        label        : 'a Jenkins agent label expression, e.g. docker',
        credentials  : 'a map of Orchestra credential names to Jenkins credential ids, ' +
            "e.g. [anthropic: 'anthropic-token']",
        concurrency  : 'a positive whole number',
        trustForks   : 'true or false',
        forkApprovers: "a comma-separated string or a list of user ids and groups, e.g. 'alice,release-team'",
        runsDir      : 'a directory path',
        cli          : "the command that runs Orchestra, e.g. 'orchestra' or '/opt/orchestra/bin/orchestra'",
        cliImage     : "a Docker image name, or '' to run the run-level commands on the agent itself",
        dockerArgs   : "extra docker run arguments for every node's container, e.g. '--network host'",
        prepare      : '{ -> ... }, run in each node workspace before node exec when label is given',
        agentRetries : 'a whole number >= 0',
        htmlReport   : 'true or false',
        archive      : 'true or false',
    ].asImmutable()

    /** The keys {@code orchestra.parameters(...)} takes: how to run the CLI. */
    static final List<String> COMMAND_KEYS = ['cli', 'cliImage', 'image', 'runsDir', 'dockerArgs'].asImmutable()

    final String workflow
    final String resume
    final Map<String, String> inputs
    final String image
    final String label
    final Map<String, String> credentials
    final Integer concurrency
    final boolean trustForks
    final String forkApprovers
    final String runsDir
    final String cli
    final String cliImage
    final String dockerArgs
    final Closure prepare
    final int agentRetries
    final boolean htmlReport
    final boolean archive

    private StepOptions(Map args, boolean step) {
        Map given = args == null ? [:] : args
        check(given, step ? KEYS.keySet() as List : COMMAND_KEYS, step)
        workflow = given.workflow
        resume = given.resume
        inputs = values(given.inputs as Map)
        image = blankToNull(given.image as String)
        label = blankToNull(given.label as String)
        credentials = stringMap(given.credentials as Map)
        concurrency = given.concurrency as Integer
        trustForks = given.trustForks == true
        forkApprovers = given.forkApprovers instanceof List ?
            ((List) given.forkApprovers).join(',') : blankToNull(given.forkApprovers as String)
        runsDir = blankToNull(given.runsDir as String)
        cli = blankToNull(given.cli as String) ?: 'orchestra'
        cliImage = given.containsKey('cliImage') ? blankToNull(given.cliImage as String) : image
        dockerArgs = given.dockerArgs == null ? '' : given.dockerArgs.toString().trim()
        prepare = given.prepare as Closure
        agentRetries = given.agentRetries == null ? 1 : given.agentRetries as int
        htmlReport = given.htmlReport != false
        archive = given.archive != false
    }

    /** The options of the {@code orchestra} step. */
    @NonCPS
    static StepOptions of(Map args) {
        return new StepOptions(args, true)
    }

    /** The options of {@code orchestra.parameters}: only how to run the CLI. */
    @NonCPS
    static StepOptions forCommands(Map args) {
        return new StepOptions(args, false)
    }

    /** Whether node stages run in workspaces of their own (node(label)), so records are stashed. */
    boolean separateWorkspaces() {
        return label != null
    }

    @NonCPS
    private static void check(Map given, List<String> known, boolean step) {
        List<String> problems = []
        given.each { key, value ->
            String name = key
            if (!known.contains(name)) {
                String near = nearest(name, known)
                problems << "unknown option '${name}'${near ? " (did you mean '${near}'?)" : ''}"
            } else if (value != null && !fits(name, value)) {
                problems << "option '${name}' must be ${KEYS[name]}, was ${describe(value)}"
            }
        }
        boolean hasWorkflow = given.workflow != null && given.workflow.toString().trim()
        if (step && !hasWorkflow && !given.resume) {
            problems << "option 'workflow' is missing: name the workflow file, " +
                "e.g. workflow: '.orchestra/fix-issue.yaml'"
        }
        if (hasWorkflow && given.resume) {
            problems << "give either 'workflow' (a new run) or 'resume' (an earlier run), not both"
        }
        if (problems) {
            throw new IllegalArgumentException('orchestra: ' + problems.join('; ') +
                ". The options are: ${known.join(', ')}")
        }
    }

    @NonCPS
    private static boolean fits(String name, Object value) {
        switch (name) {
            case 'inputs':
                return value instanceof Map
            case 'credentials':
                return value instanceof Map && ((Map) value).every { k, v -> v instanceof CharSequence && v }
            case 'concurrency':
                return value instanceof Integer && value >= 1
            case 'agentRetries':
                return value instanceof Integer && value >= 0
            case ['trustForks', 'htmlReport', 'archive']:
                return value instanceof Boolean
            case 'forkApprovers':
                return value instanceof CharSequence || value instanceof List
            case 'prepare':
                return value instanceof Closure
            default:
                return value instanceof CharSequence
        }
    }

    @NonCPS
    private static String describe(Object value) {
        return value instanceof CharSequence ? "'${value}'" : "${value} (${value.getClass().simpleName})"
    }

    /** The known key closest to {@code name} by edit distance, when it is close enough to be a typo. */
    @NonCPS
    static String nearest(String name, List<String> known) {
        String best = null
        int bestDistance = Integer.MAX_VALUE
        for (String key : known) {
            int d = distance(name.toLowerCase(), key.toLowerCase())
            if (d < bestDistance) {
                best = key
                bestDistance = d
            }
        }
        return bestDistance <= Math.max(2, name.length().intdiv(3)) ? best : null
    }

    @NonCPS
    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1]
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j
        }
        for (int i = 1; i <= a.length(); i++) {
            int[] current = new int[b.length() + 1]
            current[0] = i
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost)
            }
            previous = current
        }
        return previous[b.length()]
    }

    /**
     * The inputs as strings. Null and empty values are left out, so that the workflow's default
     * applies, or its required-input error names what is missing (a blank build parameter arrives
     * as an empty string).
     */
    @NonCPS
    private static Map<String, String> values(Map given) {
        Map<String, String> out = [:]
        given?.each { k, v ->
            if (v != null && v.toString() != '') {
                out[k.toString()] = v.toString()
            }
        }
        return out
    }

    @NonCPS
    private static Map<String, String> stringMap(Map given) {
        Map<String, String> out = [:]
        given?.each { k, v -> out[k.toString()] = v.toString() }
        return out
    }

    @NonCPS
    private static String blankToNull(String s) {
        return s == null || s.trim().isEmpty() ? null : s.trim()
    }

}
