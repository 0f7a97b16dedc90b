"""Reasoning over checked specs with Z3, and the user-facing layers on top (CLI, reports)."""
