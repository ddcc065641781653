package dev.orchestra.jenkins

import com.fasterxml.jackson.databind.JsonNode
import com.fasterxml.jackson.databind.ObjectMapper
import com.networknt.schema.JsonSchema
import com.networknt.schema.JsonSchemaFactory
import com.networknt.schema.SpecVersion

import groovy.json.JsonOutput

/**
 * Plans as {@code orchestra plan --json} prints them, built node by node for the tests, and the
 * check that each one is valid against core's plan.schema.json (the contract), so that no test
 * feeds the library a plan the CLI could not print.
 */
final class PlanFixtures {

    static final String PLAN_SCHEMA = '/dev/orchestra/plan/plan.schema.json'
    static final String RESULT_SCHEMA = '/dev/orchestra/plan/node-result.schema.json'
    private static final ObjectMapper JSON = new ObjectMapper()

    private PlanFixtures() {
    }

    /** A plan of run {@code run} with {@code nodes} (from {@link #node}); upstream is filled in. */
    static Map plan(Map args = [:], List<Map> nodes) {
        String run = args.run ?: '20261201-101500-3fa2'
        Map<String, Map> byId = [:]
        nodes.each { byId[it.id as String] = it }
        nodes.each { Map n ->
            n.upstream = upstream(n, byId)
            n.stash = [name: "orchestra-${run}-${n.id}".toString(),
                       includes: ".orchestra/runs/${run}/nodes/${n.id}/**".toString()]
        }
        return [
            format  : 'orchestra.plan/v1',
            run     : run,
            runs_dir: '.orchestra/runs',
            records : ".orchestra/runs/${run}".toString(),
            stash   : [name: "orchestra-${run}".toString(), includes: ".orchestra/runs/${run}/plan/**".toString()],
            workflow: [name: args.name ?: 'fix-issue', file: args.file ?: '.orchestra/fix-issue.yaml',
                       description: 'Spec, implement and test a fix', inputs: args.inputs ?: []],
            inputs  : args.values ?: [:],
            limits  : [concurrency: args.concurrency, agents: args.agents ?: [:], budget: args.budget,
                       timeout_ms: args.timeout_ms],
            nodes   : nodes,
        ]
    }

    /** A node; {@code credentials} may list names, which get Orchestra's variable. */
    static Map node(Map args = [:], String id) {
        List<Map> credentials = (args.credentials ?: []).collect { c ->
            c instanceof Map ? c : [name: c, variable: "ORCHESTRA_CREDENTIAL_${c.toUpperCase().replace('-', '_')}".toString(),
                                    agent_variable: AGENT_VARIABLES[args.agent]]
        }
        return [
            id                 : id,
            needs              : args.needs ?: [],
            upstream           : [],
            agent              : args.containsKey('agent') ? args.agent : 'claude',
            uses               : args.uses,
            executor           : args.image ? 'docker' : 'local',
            image              : args.image,
            docker             : args.docker,
            credentials        : credentials,
            attempts           : args.attempts ?: 2,
            timeout_ms         : 600000,
            idle_timeout_ms    : null,
            stage_timeout_ms   : args.stage_timeout_ms ?: 1265000,
            continue_on_failure: args.continue_on_failure ?: false,
            approval           : args.approval,
            stash              : null,
            status             : args.status ?: 'pending',
        ]
    }

    private static final Map<String, String> AGENT_VARIABLES =
        [claude: 'ANTHROPIC_API_KEY', codex: 'OPENAI_API_KEY', gemini: 'GEMINI_API_KEY']

    private static List<String> upstream(Map n, Map<String, Map> byId) {
        Set<String> all = new LinkedHashSet<String>()
        List<String> todo = new ArrayList<String>(n.needs as List)
        while (todo) {
            String id = todo.remove(0)
            if (all.add(id)) {
                todo.addAll(byId[id].needs as List)
            }
        }
        return byId.keySet().findAll { all.contains(it) } as List
    }

    /** The workflow of examples/jenkins: claude → codex ∥ gemini → test → critic. */
    static Map fixIssue() {
        return plan([inputs: [[name: 'task', description: 'What to fix', required: true, default: null],
                              [name: 'base', description: null, required: false, default: 'main']],
                     values: [task: 'Fix the greeting', base: 'main'], agents: [claude: 1]], [
            node('spec', credentials: ['anthropic']),
            node('implement', agent: 'codex', needs: ['spec'], credentials: ['openai'],
                 image: 'orchestra-agent:codex', docker: [cpus: 2, memory: '4g', network: 'none', mounts: [],
                                                          args: ['--cpus', '2', '--memory', '4g', '--network', 'none']]),
            node('test', agent: 'gemini', needs: ['spec'], credentials: ['gemini']),
            node('verify', agent: 'command', needs: ['implement', 'test']),
            node('critic', needs: ['verify'], credentials: ['anthropic']),
        ])
    }

    /** {@code document} as JSON, after checking it against {@code schema}. */
    static String json(Map document, String schema = PLAN_SCHEMA) {
        List<String> problems = violations(document, schema)
        assert problems.isEmpty(): "the fixture breaks ${schema}: ${problems}"
        return JsonOutput.prettyPrint(JsonOutput.toJson(document))
    }

    static List<String> violations(Object document, String schema) {
        JsonNode tree = document instanceof String ? JSON.readTree(document as String) : JSON.valueToTree(document)
        return schemaAt(schema).validate(tree)*.message.sort()
    }

    private static JsonSchema schemaAt(String resource) {
        InputStream stream = PlanFixtures.getResourceAsStream(resource)
        assert stream != null: "no ${resource} on the test classpath (orchestra-core's resources)"
        try {
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(stream)
        } finally {
            stream.close()
        }
    }

}
