/** Adapters for the AI agent CLIs: Claude Code, Codex and Gemini CLI (docs/agents.md). */
package dev.orchestra.agents;
