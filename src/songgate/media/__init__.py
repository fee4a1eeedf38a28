"""Rendered media files: where they live and how they are named and served."""
