package dev.orchestra.jenkins

/**
 * {@link OrchestraStepTests} with the library CPS-transformed as Jenkins runs it: every step
 * boundary serializes the program's state, so whatever the library keeps must be Serializable.
 */
class OrchestraStepCpsTest extends OrchestraStepTests {
    @Override
    boolean cps() { true }
}
