"""Style + Form + seed → Score: the plan, then each part written by its own module."""
