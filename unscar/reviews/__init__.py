"""Reviews: reviewer profiles, assignments to proposals, reviews and their scores."""
