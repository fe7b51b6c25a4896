"""The demo subdistrict: a generated, deterministic 西长安街-like area. All of its data are synthetic."""
