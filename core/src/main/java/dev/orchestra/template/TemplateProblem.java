package dev.orchestra.template;

/**
 * Something malformed in a template: an unclosed <code>{{</code>, an empty reference, an unknown
 * root such as {@code {{ foo.bar }}}, or a path of the wrong shape.
 *
 * @param offset the index in the template text where the bad reference starts
 * @param message what is wrong and how to write it instead
 */
public record TemplateProblem(int offset, String message) {}
