/**
 * Estimated costs for agents whose CLIs report tokens but no cost (Codex, Gemini CLI): the price
 * table shipped as {@code prices.json} ({@link dev.orchestra.agents.price.PriceTable}), a model's
 * price ({@link dev.orchestra.agents.price.ModelPrice}) and the pricing of one node's tokens
 * ({@link dev.orchestra.agents.price.Pricing}). Depends on {@code event} and Jackson only.
 */
package dev.orchestra.agents.price;
