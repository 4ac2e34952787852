"""Migration Profiles: one function builds the data, renderers only show it."""
