/** Adapters for the AI agent CLIs: Claude Code, Codex and Gemini CLI (SPEC §7). */
package dev.orchestra.agents;
