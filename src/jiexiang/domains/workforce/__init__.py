"""Field force: devices, shifts, areas, positions from tracking apps, live view and patrol coverage."""
