"""`redline mcp`: Redline's answers as tools for AI agents, over the Model Context Protocol (docs/api.md#mcp)."""
