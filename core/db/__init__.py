"""Database backends: django-prometheus's, with a cheaper health check."""
