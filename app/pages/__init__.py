"""HTML pages over the read services, and the API's documentation, served without a CDN."""
