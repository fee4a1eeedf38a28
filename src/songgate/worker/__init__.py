"""Workers: claim tasks, run them on providers under a lease, finish them exactly once."""
