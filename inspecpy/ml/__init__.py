"""Machine-learning engines behind the model and dataset resources (numpy, no target access)."""
