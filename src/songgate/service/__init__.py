"""The service layer: what the API, the CLI and the dashboard call. No HTTP here."""
