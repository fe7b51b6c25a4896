"""Places: subdistrict → communities → alleys → grid cells → components, addresses and buildings."""
