"""The contests have no background work: certificates are rendered when they are downloaded."""
