"""Processing jobs of the churn pipeline: preprocess, evaluate, baseline."""
