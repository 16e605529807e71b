"""The drift analyzer: Model Monitor's statistics, constraints and violations, computed in one streaming pass."""
