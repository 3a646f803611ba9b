"""Use cases that meet the store, the encoders and the index."""
