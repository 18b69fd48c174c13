"""Showing the decision: tables, JSON, Markdown and charts."""
