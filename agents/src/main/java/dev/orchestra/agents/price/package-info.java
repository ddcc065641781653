/**
 * Estimated costs for agents whose CLIs report tokens but no cost (Codex, Gemini CLI): the price
 * table shipped as {@code prices.json} ({@link dev.orchestra.agents.price.PriceTable}) and the
 * pricing of one node's tokens, by its own {@code price} or the table ({@link
 * dev.orchestra.agents.price.Pricing}). Depends on {@code workflow}, {@code event} and Jackson.
 */
package dev.orchestra.agents.price;
