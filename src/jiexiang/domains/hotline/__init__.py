"""接诉即办: the 12345 tickets the city sends, the closure loop on each (contact, handle, reply, return, appeal,
extension), the city's callbacks, and the three rates a subdistrict is ranked by."""
