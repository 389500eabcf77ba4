"""What both faces of the server use: API keys and roles, request parsing, the upload guard, security headers."""
