"""sunoapi.org's dialect served: ``/api/v1/...`` over songgate's own tasks."""
