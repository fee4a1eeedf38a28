"""Storage: every SQL statement of songgate lives in this package."""
