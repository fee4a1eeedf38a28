"""Tags → Style: genre presets, the words of tags (English and Chinese), instruments."""
