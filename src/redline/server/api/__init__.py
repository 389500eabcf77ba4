"""The HTTP service (FastAPI). Thin: validate, call the layers below, return their JSON forms."""
