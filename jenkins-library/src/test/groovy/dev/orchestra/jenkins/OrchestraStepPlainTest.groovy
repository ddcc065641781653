package dev.orchestra.jenkins

/** {@link OrchestraStepTests} with the library as plain Groovy. */
class OrchestraStepPlainTest extends OrchestraStepTests {
    @Override
    boolean cps() { false }
}
