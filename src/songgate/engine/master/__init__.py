"""The last stage before the files: mix and master to delivery loudness."""
