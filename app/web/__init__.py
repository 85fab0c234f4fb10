"""HTTP machinery every router uses: request parameters, responses, pagination, caching, errors,
keys, the direct-read path, the OpenAPI document and the server. It knows no domain."""
