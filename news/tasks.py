"""The news has no background work: publishing is immediate and the ranking is computed when asked."""
