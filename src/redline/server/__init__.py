"""The HTTP server: `app` composes two sibling faces, `api` (JSON) and `web` (pages), over `shared` (keys, roles,
instants, upload and security guards). The faces never import each other; both call `redline.services`."""
