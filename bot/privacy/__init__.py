"""Customers' personal data: masking where text arrives (svar_privacy), its evaluation and CLI."""
