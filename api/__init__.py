"""The thin HTTP layer: routers translate HTTP to library calls and back, nothing more."""
