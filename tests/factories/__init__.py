"""factory-boy factories, one module per app.

Defaults are plain and valid; a test states whatever matters to it.
"""
