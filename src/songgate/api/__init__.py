"""The HTTP API: app factory, auth, routes and the one place errors become responses."""
