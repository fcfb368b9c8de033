"""What several apps share and that has no models: view mixins, downloads, numbers, printed tables.

Nothing here imports an app of the portal, so every app may import from here.
"""
