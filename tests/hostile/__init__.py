"""The hostile suite (issue 12): careless and hostile input, class by class."""
