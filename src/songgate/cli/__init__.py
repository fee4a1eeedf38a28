"""The songgate command line: serve, api, worker, migrate, accounts, tokens, channels, client."""
