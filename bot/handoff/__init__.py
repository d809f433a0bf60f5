"""Handoff to a human: triggers, tickets, routing, opening hours, the agent's side."""
