"""Pure rules of songgate: no I/O, no framework, no database."""
