"""Thin rasa-sdk actions: read the tracker, make one call into `bot`, return events."""
