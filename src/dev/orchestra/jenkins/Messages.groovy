package dev.orchestra.jenkins

/**
 * The texts the step prints and asks, read from {@code resources/dev/orchestra/jenkins/messages.properties}
 * through {@code libraryResource}. Templates name their values as {@code {name}}.
 */
final class Messages implements Serializable {

    private static final long serialVersionUID = 1L
    private static final String RESOURCE = 'dev/orchestra/jenkins/messages.properties'

    private final Map<String, String> texts

    private Messages(Map<String, String> texts) {
        this.texts = texts
    }

    /** Reads the templates (a step: call it from pipeline code, not from a @NonCPS method). */
    static Messages load(Object steps) {
        String text = steps.libraryResource(RESOURCE)
        return new Messages(parse(text))
    }

    @NonCPS
    private static Map<String, String> parse(String text) {
        Properties properties = new Properties()
        properties.load(new StringReader(text))
        Map<String, String> texts = [:]
        for (String key : properties.stringPropertyNames()) {
            texts[key] = properties.getProperty(key)
        }
        return texts
    }

    /** The template {@code key} with each {@code {name}} replaced by {@code values[name]}. */
    @NonCPS
    String format(String key, Map values = [:]) {
        String template = texts[key]
        if (template == null) {
            throw new IllegalArgumentException("no message '${key}' in ${RESOURCE}")
        }
        String text = template
        values.each { name, value ->
            text = text.replace('{' + name + '}', value == null ? '' : value.toString())
        }
        return text
    }

    /** {@code 4m12s}, {@code 850ms}: a duration as Orchestra writes it. */
    @NonCPS
    static String duration(Number millis) {
        long ms = millis == null ? 0L : millis.longValue()
        if (ms < 1000L) {
            return "${ms}ms"
        }
        long s = ms.intdiv(1000L)
        long h = s.intdiv(3600L)
        long m = (s % 3600L).intdiv(60L)
        long rest = s % 60L
        StringBuilder out = new StringBuilder()
        if (h > 0) {
            out.append(h).append('h')
        }
        if (m > 0) {
            out.append(m).append('m')
        }
        if (rest > 0 || out.length() == 0) {
            out.append(rest).append('s')
        }
        return out.toString()
    }

}
