"""One thin adapter per publisher format; `catalog.yaml` declares the sources."""
