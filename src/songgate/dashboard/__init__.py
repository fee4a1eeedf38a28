"""The web dashboard: one static page and its assets, over the same API clients use."""
