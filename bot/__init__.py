"""Svar's bot service: knowledge base, storage and web, importable without Rasa."""
