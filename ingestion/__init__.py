"""Turns the content team's files into live, searchable chunks, atomically per document."""
