"""Explanation templates, one plain module per language (see explain.py for the format)."""
