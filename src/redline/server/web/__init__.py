"""Server-rendered pages for analysts (Jinja2), served by the same FastAPI app as the REST API."""
