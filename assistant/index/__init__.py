"""The searchable index: embedders, the Chroma store and the manifest of what is live."""
