"""fund-assistant: answers fund clients from the company's own documents, and knows when not to."""

__version__ = "0.1.0"
