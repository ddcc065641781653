/** The agents the front ends offer ({@link dev.orchestra.agents.catalog.AiAgents#all()}). */
package dev.orchestra.agents.catalog;
