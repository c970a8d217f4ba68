"""The shop's back office: the Django admin over the shop's MySQL database, run on the office network."""
