"""System notifications: categories, the events that map to them, the fan-out."""
