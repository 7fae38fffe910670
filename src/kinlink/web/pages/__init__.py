"""The pages, one module per area; each page has a JSON twin under ``/api/v1``."""
